-- vpcgate's language server in Neovim's built-in client (0.7 or later).
-- Source this file from your init.lua, or copy what you need.
local function start()
  local root = vim.fs and vim.fs.dirname(vim.fs.find({ '.vpcgate.yaml', '.git' }, { upward = true })[1] or '')
    or vim.fn.getcwd()
  if root == nil or root == '' then root = vim.fn.getcwd() end
  local id = vim.lsp.start_client({
    name = 'vpcgate',
    cmd = { 'vpcgate', 'lsp' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    -- Settings: any of rules, skip_rules, severity, region, usage_file,
    -- show_suppressed, debounce_ms.
    init_options = { severity = 'medium' },
  })
  return id
end

local client_id
vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
  pattern = { '*.tf', '*.tfvars', '*.template', '*.yaml', '*.yml', '*.json' },
  callback = function(args)
    if not client_id or not vim.lsp.get_client_by_id(client_id) then client_id = start() end
    vim.lsp.buf_attach_client(args.buf, client_id)
    -- Code lenses (cost and findings above each resource).
    vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
      buffer = args.buf,
      callback = function() pcall(vim.lsp.codelens.refresh) end,
    })
  end,
})
