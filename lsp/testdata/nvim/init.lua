-- End-to-end test of `vpcgate lsp` with Neovim's built-in client (0.7+),
-- run headless by lsp/nvim_test.go:
--   VPCGATE=bin FIXTURE=dir OUT=file nvim --headless --clean -u init.lua
-- It writes what it saw as JSON to OUT; the Go test checks the content.
local bin, dir, out = os.getenv('VPCGATE'), os.getenv('FIXTURE'), os.getenv('OUT')
local result = { steps = {} }
local function finish(err)
  result.error = err
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end
local function diags(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(list, { line = d.lnum + 1, code = code or '', severity = d.severity, message = d.message })
  end
  table.sort(list, function(a, b) if a.line ~= b.line then return a.line < b.line end return a.code < b.code end)
  return list
end
local function has(buf, code, line)
  for _, d in ipairs(diags(buf)) do
    if d.code == code and (line == nil or d.line == line) and d.severity <= vim.diagnostic.severity.WARN then return true end
  end
  return false
end

local ok, err = pcall(function()
  local id = vim.lsp.start_client({
    name = 'vpcgate',
    cmd = { bin, 'lsp' },
    root_dir = dir,
    workspace_folders = { { uri = vim.uri_from_fname(dir), name = 'fixture' } },
  })
  assert(id, 'start_client failed')
  vim.cmd('edit ' .. dir .. '/main.tf')
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.lsp.buf_attach_client(buf, id), 'buf_attach_client failed')
  local client = vim.lsp.get_client_by_id(id)

  -- 1. Diagnostics of the fixture as it is.
  assert(vim.wait(30000, function() return has(buf, 'default-sg-closed') end, 20), 'no diagnostics within 30s')
  result.steps.initial = diags(buf)

  -- 2. Open SSH to the world on the app group: a new diagnostic on that line.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local target
  for i, l in ipairs(lines) do
    if l:find('cidr_blocks = %["10.0.0.0/16"%]') then target = i end
  end
  assert(target, 'no app ingress line in the fixture')
  vim.api.nvim_buf_set_lines(buf, target - 4, target, false, {
    '    from_port   = 22', '    to_port     = 22', '    protocol    = "tcp"', '    cidr_blocks = ["0.0.0.0/0"]',
  })
  result.edited_line = target
  assert(vim.wait(30000, function() return has(buf, 'admin-ports-open-to-world', target) end, 20), 'no admin-ports-open-to-world on line ' .. target)
  result.steps.edited = diags(buf)

  -- 3. Hover on the app instance: the path hop by hop.
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l:find('resource "aws_instance" "app"', 1, true) then vim.api.nvim_win_set_cursor(0, { i, 10 }) end
  end
  local hover = client.request_sync('textDocument/hover', vim.lsp.util.make_position_params(), 20000, buf)
  assert(hover and hover.result, 'no hover: ' .. vim.inspect(hover))
  result.hover = hover.result.contents.value

  -- 4. The code action that admits the bastion's group instead: the finding goes.
  vim.api.nvim_win_set_cursor(0, { target, 6 })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local actions = client.request_sync('textDocument/codeAction', params, 20000, buf)
  assert(actions and actions.result, 'no code actions: ' .. vim.inspect(actions))
  result.actions = {}
  local chosen
  for _, a in ipairs(actions.result) do
    table.insert(result.actions, a.title)
    if a.title:find("bastion's security group", 1, true) then chosen = a end
  end
  assert(chosen, 'no bastion action')
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  result.fixed_line = vim.api.nvim_buf_get_lines(buf, target - 1, target, false)[1]
  assert(vim.wait(30000, function() return not has(buf, 'admin-ports-open-to-world') end, 20), 'the finding stayed after the fix')
  result.steps.fixed = diags(buf)

  vim.lsp.stop_client(id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
  result.stopped = vim.lsp.get_client_by_id(id) == nil
end)
finish(not ok and tostring(err) or nil)
