-- vault_lsp: starts vault-lsp for Markdown buffers, one client per vault.
--
-- Glue only: every feature is the server's. On Neovim 0.11+ this hands the
-- configuration to vim.lsp.config / vim.lsp.enable; on 0.7-0.10 it starts
-- clients itself with vim.lsp.start_client from a FileType autocmd.

local M = {}

M.name = "vault_lsp"

local defaults = {
  cmd = { "vault-lsp" },
  filetypes = { "markdown" },
  -- The nearest folder above the note holding any of these is the vault.
  root_markers = { ".obsidian", ".git" },
  -- Attach to a note outside any vault too (the server then knows only
  -- the notes that are open). false: leave such notes alone.
  single_file_support = true,
  -- { ["vault-lsp"] = { folders = ..., ignore = ..., ... } }: the keys of
  -- the server's README. Sent as initializationOptions (so `ignore` holds
  -- from the first indexing) and answered on workspace/configuration.
  settings = {},
  init_options = nil, -- default: settings["vault-lsp"]
  capabilities = nil, -- merged over vim.lsp.protocol.make_client_capabilities()
  on_attach = nil,
  on_init = nil,
  handlers = nil,
  root_dir = nil, -- optional function(path) -> folder or nil, instead of root_markers
}

M.config = nil
-- root folder (or "" for notes outside any vault) -> client id; 0.7-0.10 only.
M.clients = {}

local function has_native_config()
  return vim.lsp.config ~= nil and vim.lsp.enable ~= nil and vim.fn.has("nvim-0.11") == 1
end

local function notify(msg, level)
  vim.notify("vault_lsp: " .. msg, level or vim.log.levels.WARN)
end

-- client:request() and client:notify() are methods from 0.11 on (0.12
-- warns about the old client.request() form); before, plain functions.
local function request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function send_notification(client, method, params)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

-- Settings as the server reads them: always under "vault-lsp", so that
-- workspace/configuration for that section finds them. A flat table of
-- the server's keys is accepted and wrapped.
local function normalize_settings(settings)
  settings = settings or {}
  if settings["vault-lsp"] == nil and next(settings) ~= nil then
    settings = { ["vault-lsp"] = settings }
  end
  -- An empty Lua table goes out as a JSON array: send nothing instead.
  if type(settings["vault-lsp"]) == "table" and next(settings["vault-lsp"]) == nil then
    settings = {}
  end
  return settings
end

local function dirname(path)
  local d = path:match("^(.*)/[^/]*$")
  if d == nil or d == "" then
    return "/"
  end
  return d
end

local function exists(path)
  return (vim.uv or vim.loop).fs_stat(path) ~= nil
end

--- The vault of a path: the nearest folder, from the path's own folder
--- upwards, that holds one of `markers`. nil when none does.
function M.find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p")
  if vim.fn.isdirectory(dir) == 0 then
    dir = dirname(dir)
  end
  dir = dir:gsub("(.)/$", "%1")
  while true do
    for _, marker in ipairs(markers) do
      if exists(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = dirname(dir)
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function buffer_path(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name:match("^%a[%w+.-]*://") then
    return nil -- fugitive://, oil://...: not a file of the vault
  elseif name == "" then
    return vim.fn.getcwd() .. "/"
  end
  return name
end

local function root_of(cfg, bufnr)
  local path = buffer_path(bufnr)
  if path == nil then
    return nil
  elseif cfg.root_dir then
    return cfg.root_dir(path)
  end
  return M.find_root(path, cfg.root_markers)
end

local function capabilities(cfg)
  local caps = vim.lsp.protocol.make_client_capabilities()
  if cfg.capabilities then
    caps = vim.tbl_deep_extend("force", caps, cfg.capabilities)
  end
  return caps
end

local function executable(cfg)
  if type(cfg.cmd) ~= "table" or type(cfg.cmd[1]) ~= "string" then
    return true -- a function (0.11 RPC client) or whatever the user knows about
  end
  return vim.fn.executable(cfg.cmd[1]) == 1
end

local warned_missing = false
local function warn_missing(cfg)
  if not warned_missing then
    warned_missing = true
    notify(("'%s' is not executable: build vault-lsp and put it on $PATH, "
      .. "or pass cmd = { '/path/to/vault-lsp' } to setup()"):format(tostring(cfg.cmd[1])),
      vim.log.levels.ERROR)
  end
end

-- ---- Neovim 0.7 - 0.10 -------------------------------------------------

local function live_client(id)
  local client = id and vim.lsp.get_client_by_id(id)
  if client and not client.is_stopped() then
    return client
  end
  return nil
end

local function client_for(cfg, root)
  local key = root or ""
  local client = live_client(M.clients[key])
  if client then
    return client.id
  end
  if not executable(cfg) then
    warn_missing(cfg)
    return nil
  end
  local id = vim.lsp.start_client({
    name = M.name,
    cmd = cfg.cmd,
    root_dir = root,
    init_options = cfg.init_options,
    settings = cfg.settings,
    capabilities = capabilities(cfg),
    handlers = cfg.handlers,
    on_attach = cfg.on_attach,
    on_init = cfg.on_init,
    on_exit = function(_, _, client_id)
      if M.clients[key] == client_id then
        M.clients[key] = nil
      end
    end,
  })
  M.clients[key] = id
  return id
end

local function attach(cfg, bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= ""
      or buffer_path(bufnr) == nil then
    return
  end
  local root = root_of(cfg, bufnr)
  if root == nil and not cfg.single_file_support then
    return
  end
  local id = client_for(cfg, root)
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

local function setup_autocmd(cfg)
  local group = vim.api.nvim_create_augroup("vault_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = cfg.filetypes,
    callback = function(args)
      attach(cfg, args.buf)
    end,
    desc = "vault-lsp: attach to the note's vault",
  })
  -- Buffers already open when setup() runs (lazy loading).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(cfg.filetypes, vim.bo[bufnr].filetype) then
      attach(cfg, bufnr)
    end
  end
end

-- ---- Neovim 0.11+ ------------------------------------------------------

local function setup_native(cfg)
  if not executable(cfg) then
    warn_missing(cfg)
  end
  vim.lsp.config(M.name, {
    cmd = cfg.cmd,
    filetypes = cfg.filetypes,
    root_markers = cfg.root_markers,
    -- root_dir wins over root_markers; it also keeps a shorter
    -- root_markers list from being merged index by index with the one
    -- in lsp/vault_lsp.lua.
    root_dir = function(bufnr, on_dir)
      if buffer_path(bufnr) == nil then
        return
      end
      local root = root_of(cfg, bufnr)
      if root ~= nil or cfg.single_file_support then
        on_dir(root)
      end
    end,
    init_options = cfg.init_options,
    settings = cfg.settings,
    capabilities = cfg.capabilities,
    handlers = cfg.handlers,
    on_attach = cfg.on_attach,
    on_init = cfg.on_init,
  })
  vim.lsp.enable(M.name)
end

-- ---- the code lenses' command -------------------------------------------

--- vault-lsp.showReferences {uri, position}: the command of the server's
--- code lenses ("N references"). Asks the server for the references at
--- that place and lists them in the quickfix list.
function M.show_references(command, ctx)
  local args = command.arguments or {}
  local uri, pos = args[1], args[2]
  local client = ctx and vim.lsp.get_client_by_id(ctx.client_id)
  if type(uri) ~= "string" or type(pos) ~= "table" or not client then
    return
  end
  local params = { textDocument = { uri = uri }, position = pos,
                   context = { includeDeclaration = false } }
  request(client, "textDocument/references", params, function(err, result)
    if err or not result or vim.tbl_isempty(result) then
      vim.notify("vault-lsp: no references", vim.log.levels.INFO)
      return
    end
    local items = vim.lsp.util.locations_to_items(result, client.offset_encoding or "utf-16")
    vim.fn.setqflist({}, " ", { title = "vault-lsp: references", items = items })
    vim.cmd("botright copen")
  end, ctx.bufnr)
end

-- ---- unlinked mentions ----------------------------------------------------

--- :VaultUnlinkedMentions — where other notes write this note's name (or
--- an alias) without linking to it, in the quickfix list. The server's
--- command vault-lsp.unlinkedMentions; the code actions "Link to X" and
--- "Link all N unlinked mentions of X" then turn them into links.
function M.unlinked_mentions(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client
  for _, c in ipairs(M.get_clients()) do
    if vim.lsp.buf_is_attached(bufnr, c.id) then
      client = c
    end
  end
  if not client then
    notify("no vault-lsp client for this buffer")
    return
  end
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t:r")
  local params = { command = "vault-lsp.unlinkedMentions", arguments = { vim.uri_from_bufnr(bufnr) } }
  request(client, "workspace/executeCommand", params, function(err, result)
    if err then
      notify("unlinked mentions: " .. tostring(err.message or err), vim.log.levels.ERROR)
      return
    elseif type(result) ~= "table" or vim.tbl_isempty(result) then
      vim.notify(("vault-lsp: no unlinked mentions of %s"):format(name), vim.log.levels.INFO)
      return
    end
    local items = vim.lsp.util.locations_to_items(result, client.offset_encoding or "utf-16")
    vim.fn.setqflist({}, " ", { title = "vault-lsp: unlinked mentions of " .. name, items = items })
    vim.cmd("botright copen")
  end, bufnr)
end

-- ---- settings while running -------------------------------------------------

--- Changes the settings of the running vault-lsp clients (and of those
--- started later) without a restart: merges `settings` (the server's keys,
--- with or without the ["vault-lsp"] level) into each client's settings
--- and sends them with workspace/didChangeConfiguration. Returns the
--- number of clients told.
function M.update_settings(settings)
  local new = normalize_settings(settings)
  if next(new) == nil then
    return 0
  end
  local told = 0
  for _, client in ipairs(M.get_clients()) do
    -- The table Neovim answers workspace/configuration from: client.settings
    -- from 0.10 on, client.config.settings before.
    local current = client.settings or client.config.settings or {}
    local merged = vim.tbl_deep_extend("force", current, new)
    client.config.settings = merged
    if client.settings ~= nil then
      client.settings = merged
    end
    send_notification(client, "workspace/didChangeConfiguration", { settings = merged })
    told = told + 1
  end
  local cfg = M.config
  if cfg then
    -- Clients started later: 0.7 sends settings only as initializationOptions.
    cfg.settings = vim.tbl_deep_extend("force", cfg.settings or {}, new)
    if cfg.init_options_from_settings then
      cfg.init_options = cfg.settings["vault-lsp"]
    end
    if has_native_config() then
      vim.lsp.config(M.name, { settings = cfg.settings, init_options = cfg.init_options })
    end
  end
  return told
end

-- ---- entry point -------------------------------------------------------

--- require("vault_lsp").setup{ cmd = ..., root_markers = ..., settings = ... }
function M.setup(opts)
  local cfg = vim.tbl_extend("force", vim.deepcopy(defaults), opts or {})
  -- Lists are replaced, never merged index by index.
  cfg.settings = normalize_settings(cfg.settings)
  if cfg.init_options == nil then
    cfg.init_options = cfg.settings["vault-lsp"]
    cfg.init_options_from_settings = true
  end
  if type(cfg.cmd) == "string" then
    cfg.cmd = { cfg.cmd }
  end
  M.config = cfg
  vim.lsp.commands["vault-lsp.showReferences"] = M.show_references
  if has_native_config() then
    setup_native(cfg)
  else
    setup_autocmd(cfg)
  end
end

--- The vault-lsp clients running now (for :checkhealth and scripts).
function M.get_clients()
  local out = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients({ name = M.name }) or vim.lsp.get_active_clients()
  for _, client in ipairs(all) do
    if client.name == M.name then
      table.insert(out, client)
    end
  end
  return out
end

return M
