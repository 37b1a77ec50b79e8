-- vpcgate with nvim-lspconfig: register a custom server, then set it up.
local lspconfig = require('lspconfig')
local configs = require('lspconfig.configs')

if not configs.vpcgate then
  configs.vpcgate = {
    default_config = {
      cmd = { 'vpcgate', 'lsp' },
      filetypes = { 'terraform', 'tf', 'hcl', 'yaml', 'json' },
      root_dir = lspconfig.util.root_pattern('.vpcgate.yaml', '.git'),
      single_file_support = true,
      init_options = {},
    },
    docs = { description = 'vpcgate: AWS network findings, reachability and cost' },
  }
end

lspconfig.vpcgate.setup({
  init_options = { severity = 'medium', show_suppressed = true },
  -- Settings sent again with workspace/didChangeConfiguration.
  settings = { vpcgate = { severity = 'medium' } },
})
