-- :checkhealth vault_lsp
local M = {}

-- vim.health.start/ok/... on 0.10+, report_* on 0.8-0.9, require("health") on 0.7.
local h = vim.health or require("health")
local start = h.start or h.report_start
local ok = h.ok or h.report_ok
local info = h.info or h.report_info
local warn = h.warn or h.report_warn
local fail = h.error or h.report_error

function M.check()
  local plugin = require("vault_lsp")
  start("vault-lsp")
  local native = vim.fn.has("nvim-0.11") == 1 and vim.lsp.config ~= nil
  local cfg = plugin.config
  if cfg then
    ok("setup() was called")
  elseif native and vim.lsp.config[plugin.name] then
    -- vim.lsp.config("vault_lsp", ...) and vim.lsp.enable("vault_lsp")
    -- without setup(): lsp/vault_lsp.lua merged with the user's config.
    cfg = vim.lsp.config[plugin.name]
    local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled(plugin.name)
    if enabled == false then
      warn("vim.lsp.config has vault_lsp, but it is not enabled", { 'vim.lsp.enable("vault_lsp")' })
    else
      ok("configured with vim.lsp.config (lsp/vault_lsp.lua), without setup()")
    end
  else
    warn("setup() has not been called", { 'require("vault_lsp").setup{}' })
    cfg = { cmd = { "vault-lsp" }, root_markers = { ".obsidian", ".git" } }
  end
  local v = vim.version()
  info(("Neovim %d.%d.%d: %s"):format(v.major, v.minor, v.patch,
    native and "vim.lsp.config / vim.lsp.enable" or "vim.lsp.start_client from a FileType autocmd"))

  local cmd = type(cfg.cmd) == "table" and cfg.cmd or nil
  if cmd and vim.fn.executable(cmd[1]) == 1 then
    local version = vim.fn.system({ cmd[1], "--version" }):gsub("%s+$", "")
    if vim.v.shell_error == 0 then
      ok(("%s: %s"):format(vim.fn.exepath(cmd[1]), version))
    else
      fail(("%s --version failed: %s"):format(cmd[1], version))
    end
  elseif cmd then
    fail(("'%s' is not executable"):format(cmd[1]),
      { "build vault-lsp and put it on $PATH", "or setup{ cmd = { '/path/to/vault-lsp' } }" })
  end
  info("root markers: " .. table.concat(cfg.root_markers or {}, ", "))

  local clients = plugin.get_clients()
  if #clients == 0 then
    info("no vault-lsp client is running (open a Markdown note)")
  end
  for _, client in ipairs(clients) do
    local folders = {}
    for _, f in ipairs(client.workspace_folders or {}) do
      table.insert(folders, f.name)
    end
    local bufs = client.attached_buffers and vim.tbl_keys(client.attached_buffers)
      or vim.lsp.get_buffers_by_client_id(client.id)
    ok(("client %d: %s, %d buffer(s), %s positions"):format(client.id,
      #folders > 0 and table.concat(folders, ", ") or "no vault (single notes)", #bufs,
      client.offset_encoding or "utf-16"))
  end

  info("notes changed outside Neovim (Obsidian, git pull) are followed through Neovim's file "
    .. "watching when it is on, else by the server itself with inotify (README: file watching)")
  local log = vim.lsp.log and vim.lsp.log.get_filename or vim.lsp.get_log_path
  info("Neovim's LSP log: " .. log())
end

return M
