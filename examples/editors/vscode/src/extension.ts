// A minimal VS Code client for `vpcgate lsp`: it starts the server over
// stdio for Terraform, CloudFormation and describe JSON files and passes
// the vpcgate.* settings as initializationOptions (and again on change).
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

// settings returns the vpcgate.* settings in the server's snake_case keys.
function settings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("vpcgate");
  const out: Record<string, unknown> = {};
  for (const key of ["rules", "skip_rules", "severity", "region", "usage_file", "show_suppressed"]) {
    const v = c.get(key);
    if (v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0)) {
      out[key] = v;
    }
  }
  return out;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration("vpcgate").get<string>("path") || "vpcgate";
  const serverOptions: ServerOptions = { command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: "**/*.{tf,tfvars,template}" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
    ],
    initializationOptions: settings(),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.tf,*.tfvars,*.yaml,*.yml,*.json,*.template,*.rego}"),
    },
  };
  client = new LanguageClient("vpcgate", "vpcgate", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("vpcgate") && client) {
        void client.sendNotification("workspace/didChangeConfiguration", { settings: { vpcgate: settings() } });
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
