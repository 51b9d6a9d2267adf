-- End-to-end test of the plugin and vault-lsp in a real, headless Neovim.
-- Run by test.sh:  nvim --headless -u NONE -i NONE -c "luafile test/test.lua"
-- Environment: VAULT_LSP (the binary), VAULT (a copy of tests/vault),
-- OTHER_VAULT (a second vault), LOG (the server's log file).
-- Works on Neovim 0.7 (no vim.fs, no -l); exits with :cquit on failure.

local TIMEOUT = 10000

local passed, failed = 0, 0
local function out(s)
  io.stdout:write(s .. "\n")
  io.stdout:flush()
end

local function check(name, ok, saw)
  if ok then
    passed = passed + 1
    out("ok   " .. name)
  else
    failed = failed + 1
    out("FAIL " .. name .. "\n     saw: " .. vim.inspect(saw):gsub("\n", "\n     "))
  end
  return ok
end

local function finish()
  -- Shut the servers down as a user quitting would, and wait for them.
  local clients = require("vault_lsp").get_clients()
  vim.lsp.stop_client(clients)
  local stopped = vim.wait(5000, function()
    return #require("vault_lsp").get_clients() == 0
  end, 20)
  check("the servers shut down", stopped, #require("vault_lsp").get_clients())
  local f = io.open(os.getenv("LOG") or "", "r")
  local errors = {}
  for line in (f and f:read("*a") or ""):gmatch("[^\n]+") do
    if line:find(" error ", 1, true) or line:find("configuration", 1, true) and line:find("warn", 1, true) then
      table.insert(errors, line)
    end
  end
  if f then
    f:close()
  end
  check("the server logged no error and no configuration warning", #errors == 0, errors)
  out(("%d passed, %d failed"):format(passed, failed))
  if failed > 0 then
    local f = io.open(os.getenv("LOG") or "", "r")
    if f then
      out("---- server log ----\n" .. f:read("*a"))
      f:close()
    end
    local lf = io.open(vim.lsp.get_log_path(), "r")
    if lf then
      local lsplog = lf:read("*a")
      lf:close()
      if lsplog ~= "" then
        out("---- Neovim's LSP log (last 4000 bytes) ----\n" .. lsplog:sub(-4000))
      end
    end
    local msgs = vim.api.nvim_exec("messages", true)
    if msgs ~= "" then
      out("---- :messages ----\n" .. msgs)
    end
    vim.cmd("cquit 1")
  else
    vim.cmd("qa!")
  end
end

local function run()
  local bin = assert(os.getenv("VAULT_LSP"), "VAULT_LSP not set")
  local vault = assert(os.getenv("VAULT"), "VAULT not set")
  local other = assert(os.getenv("OTHER_VAULT"), "OTHER_VAULT not set")
  local log = assert(os.getenv("LOG"), "LOG not set")
  out("Neovim " .. tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch)

  vim.cmd("filetype on")
  local attached = {}
  require("vault_lsp").setup({
    cmd = { bin, "--log", log, "--log-level", "debug" },
    -- A setting that shows: at 0.9 the 85% near duplicate of line 31 goes.
    settings = { ["vault-lsp"] = { duplicates = { threshold = 0.9 } } },
    on_attach = function(client, bufnr)
      attached[bufnr] = client.id
    end,
  })

  -- ---- open a note; wait for the server and its diagnostics ----------
  local ragnar_path = vault .. "/People/Ragnar Eiriksson.md"
  vim.cmd("edit " .. vim.fn.fnameescape(ragnar_path))
  local ragnar = vim.api.nvim_get_current_buf()
  check("filetype markdown", vim.bo[ragnar].filetype == "markdown", vim.bo[ragnar].filetype)

  local client
  local up = vim.wait(TIMEOUT, function()
    local clients = require("vault_lsp").get_clients()
    client = clients[1]
    return client ~= nil and client.initialized and attached[ragnar] ~= nil
  end, 20)
  if not check("client started, initialized and attached", up,
      { client = client and { id = client.id, initialized = client.initialized }, attached = attached }) then
    return
  end
  check("workspace folder is the vault", client.workspace_folders
    and client.workspace_folders[1].name == vault, client.workspace_folders)

  local diags
  local got = vim.wait(TIMEOUT, function()
    diags = vim.diagnostic.get(ragnar)
    return #diags > 0
  end, 20)
  local codes = {}
  for _, d in ipairs(diags) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    codes[code] = (codes[code] or 0) + 1
  end
  check("diagnostics arrived for People/Ragnar Eiriksson.md", got, diags)
  check("duplicate facts: duplicate-fact, near-duplicate-fact, subsumed-fact",
    codes["duplicate-fact"] and codes["near-duplicate-fact"] and codes["subsumed-fact"], codes)
  local near = {}
  for _, d in ipairs(diags) do
    if d.code == "near-duplicate-fact" then
      table.insert(near, ("%d: %s"):format(d.lnum + 1, d.message))
    end
  end
  check("settings reached the server (threshold 0.9: no 85% near duplicate)",
    #near > 0 and not table.concat(near, "\n"):find("85%%"), near)

  -- ---- hover on [[Priya Natarajan]] -----------------------------------
  local lines = vim.api.nvim_buf_get_lines(ragnar, 0, -1, false)
  local function find(text)
    for i, l in ipairs(lines) do
      local col = l:find(text, 1, true)
      if col then
        return i - 1, col - 1 -- 0-based line, byte column
      end
    end
    error("not in the note: " .. text)
  end
  local uri = vim.uri_from_bufnr(ragnar)
  local hl, hc = find("[[Priya Natarajan]]")
  local res = vim.lsp.buf_request_sync(ragnar, "textDocument/hover", {
    textDocument = { uri = uri }, position = { line = hl, character = hc + 4 },
  }, TIMEOUT)
  local hover = res and res[client.id] and res[client.id].result
  local text = hover and hover.contents and (hover.contents.value or vim.inspect(hover.contents)) or ""
  check("hover on [[Priya Natarajan]]: title, kind and role",
    text:find("Priya Natarajan", 1, true) and text:find("person", 1, true)
      and text:find("Director of Product", 1, true), res)

  -- ---- definition: [[Project Lighthouse#Milestones]] ------------------
  local dl, dc = find("[[Project Lighthouse#Milestones]]")
  vim.api.nvim_win_set_cursor(0, { dl + 1, dc + 5 })
  vim.lsp.buf.definition()
  local target = "/Projects/Project Lighthouse.md"
  local jumped = vim.wait(TIMEOUT, function()
    local name = vim.api.nvim_buf_get_name(0)
    return name:sub(-#target) == target
  end, 20)
  local name = vim.api.nvim_buf_get_name(0)
  local cursor = vim.api.nvim_win_get_cursor(0)
  check("definition opens Projects/Project Lighthouse.md", jumped, name)
  check("definition lands on ## Milestones, line 13", jumped and cursor[1] == 13,
    { line = cursor[1], text = vim.api.nvim_get_current_line() })
  local lighthouse = vim.api.nvim_get_current_buf()
  local same = vim.wait(TIMEOUT, function()
    return attached[lighthouse] ~= nil
  end, 20)
  check("the second note of the vault reuses the client", same and attached[lighthouse] == client.id
    and #require("vault_lsp").get_clients() == 1,
    { attached = attached, clients = #require("vault_lsp").get_clients() })

  -- ---- code lens on ## Milestones, and its command ---------------------
  local luri = vim.uri_from_bufnr(lighthouse)
  res = vim.lsp.buf_request_sync(lighthouse, "textDocument/codeLens",
    { textDocument = { uri = luri } }, TIMEOUT)
  local lenses = res and res[client.id] and res[client.id].result or {}
  local milestones
  for _, l in ipairs(lenses) do
    if l.range.start.line == 12 then
      milestones = l
    end
  end
  res = milestones and vim.lsp.buf_request_sync(lighthouse, "codeLens/resolve", milestones, TIMEOUT)
  local lens = res and res[client.id] and res[client.id].result
  check("a code lens on ## Milestones: 1 reference", lens and lens.command
    and lens.command.title == "1 reference", lenses)
  vim.fn.setqflist({}, "r", { items = {} })
  if lens and lens.command then
    vim.lsp.commands[lens.command.command](lens.command, { client_id = client.id, bufnr = lighthouse })
  end
  local listed = vim.wait(TIMEOUT, function()
    return #vim.fn.getqflist() == 1
  end, 20)
  local qf = vim.fn.getqflist()
  check("its command lists the link from Ragnar Eiriksson's card in the quickfix list", listed
    and vim.api.nvim_buf_get_name(qf[1].bufnr):find("People/Ragnar Eiriksson.md", 1, true)
    and qf[1].lnum == 44, qf)
  vim.cmd("cclose")

  -- ---- rename ## Milestones: the heading and the link to it ------------
  vim.cmd("buffer " .. lighthouse)
  vim.api.nvim_win_set_cursor(0, { 13, 4 })
  vim.lsp.buf.rename("Roadmap")
  local renamed = vim.wait(TIMEOUT, function()
    return vim.api.nvim_buf_get_lines(lighthouse, 12, 13, false)[1] == "## Roadmap"
  end, 20)
  check("vim.lsp.buf.rename renames the heading", renamed,
    vim.api.nvim_buf_get_lines(lighthouse, 12, 13, false))
  local linked = table.concat(vim.api.nvim_buf_get_lines(ragnar, 0, -1, false), "\n")
  check("... and the link to it in Ragnar's card", linked:find("[[Project Lighthouse#Roadmap]]", 1, true)
    ~= nil, linked:match("[^\n]*Project Lighthouse#[^\n]*"))

  -- ---- completion after [[Rag, typed into the buffer -------------------
  vim.cmd("buffer " .. ragnar)
  local n = vim.api.nvim_buf_line_count(ragnar)
  vim.api.nvim_buf_set_lines(ragnar, n, n, false, { "", "- Met [[Rag" })
  local line = n + 1
  local typed = "- Met [[Rag"
  res = vim.lsp.buf_request_sync(ragnar, "textDocument/completion", {
    textDocument = { uri = uri },
    position = { line = line, character = #typed },
    context = { triggerKind = 1 },
  }, TIMEOUT)
  local result = res and res[client.id] and res[client.id].result
  local items = result and (result.items or result) or {}
  local labels, item = {}, nil
  for _, it in ipairs(items) do
    table.insert(labels, it.label)
    if it.label == "Ragnar Eiriksson" and not item then
      item = it
    end
  end
  check("completion after [[Rag offers Ragnar Eiriksson", item ~= nil, labels)
  local range = item and item.textEdit and (item.textEdit.range or item.textEdit.replace)
  check("its textEdit replaces from right after [[ to the cursor", range
    and range.start.line == line and range.start.character == #"- Met [["
    and range["end"].character == #typed, item and item.textEdit)

  -- ---- a second vault gets a client of its own ------------------------
  vim.cmd("edit " .. vim.fn.fnameescape(other .. "/Notes/Elsewhere.md"))
  local elsewhere = vim.api.nvim_get_current_buf()
  local second = vim.wait(TIMEOUT, function()
    return attached[elsewhere] ~= nil
  end, 20)
  local other_client = second and vim.lsp.get_client_by_id(attached[elsewhere])
  check("another vault starts a second client rooted there", second and attached[elsewhere] ~= client.id
    and other_client and other_client.workspace_folders[1].name == other,
    { attached = attached, folders = other_client and other_client.workspace_folders })

  -- ---- lsp/vault_lsp.lua, the 0.11 config file, has the expected shape --
  local files = vim.api.nvim_get_runtime_file("lsp/vault_lsp.lua", true)
  local ok, cfg = pcall(dofile, files[1] or "")
  check("lsp/vault_lsp.lua: cmd, filetypes, root_markers, settings", ok and type(cfg) == "table"
    and cfg.cmd[1] == "vault-lsp" and vim.tbl_contains(cfg.filetypes, "markdown")
    and cfg.root_markers[1] == ".obsidian" and type(cfg.settings["vault-lsp"]) == "table",
    { files = files, cfg = cfg })

  -- ---- :checkhealth vault_lsp ------------------------------------------
  local hok, herr = pcall(vim.cmd, "silent checkhealth vault_lsp")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  if os.getenv("SHOW_HEALTH") then out(report) end
  check(":checkhealth vault_lsp finds the server and both clients", hok
    and report:find("OK", 1, true) and report:find("vault-lsp 0", 1, true)
    and report:find(vault, 1, true) and report:find(other, 1, true)
    and not report:find("ERROR", 1, true), hok and report or herr)

  -- lsp/vault_lsp.lua's before_init sends the settings as initializationOptions.
  local params = {}
  cfg.before_init(params, { settings = { ["vault-lsp"] = { ignore = { "Archive/" } } } })
  check("lsp/vault_lsp.lua: before_init copies settings to initializationOptions",
    params.initializationOptions and params.initializationOptions.ignore[1] == "Archive/", params)

  -- ---- the 0.11 path, against stand-ins for vim.lsp.config / enable ----
  -- (Debian 12 has no Neovim 0.11: this checks what setup() hands over.)
  local saved = { has = vim.fn.has, config = vim.lsp.config, enable = vim.lsp.enable }
  local given, enabled = nil, nil
  vim.fn.has = function(f)
    return f == "nvim-0.11" and 1 or saved.has(f)
  end
  vim.lsp.config = function(name, c)
    given = { name = name, config = c }
  end
  vim.lsp.enable = function(name)
    enabled = name
  end
  local okn, errn = pcall(function()
    package.loaded["vault_lsp"] = nil
    require("vault_lsp").setup({ cmd = { bin }, root_markers = { ".obsidian" },
      settings = { logLevel = "debug" } })
  end)
  vim.fn.has, vim.lsp.config, vim.lsp.enable = saved.has, saved.config, saved.enable
  local c = given and given.config or {}
  local roots = {}
  if c.root_dir then
    c.root_dir(ragnar, function(r) table.insert(roots, r or "nil") end)
  end
  check("0.11: setup() calls vim.lsp.config('vault_lsp', ...) and vim.lsp.enable", okn
    and given and given.name == "vault_lsp" and enabled == "vault_lsp" and c.cmd[1] == bin
    and vim.tbl_contains(c.filetypes, "markdown"), { err = errn, given = given, enabled = enabled })
  check("0.11: settings under vault-lsp, also as init_options", c.settings
    and c.settings["vault-lsp"] and c.settings["vault-lsp"].logLevel == "debug"
    and c.init_options and c.init_options.logLevel == "debug", c)
  check("0.11: root_dir(bufnr, on_dir) gives the vault", #roots == 1 and roots[1] == vault, roots)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  check("test script ran to the end", false, err)
end
finish()
