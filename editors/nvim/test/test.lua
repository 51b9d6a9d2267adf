-- End-to-end test of the plugin and vault-lsp in a real, headless Neovim
-- (0.7 to 0.12), driven as a user would: keys typed into the buffer,
-- vim.lsp.buf.* and the plugin's commands, results read from what Neovim
-- shows (floats, the quickfix list, the completion menu, buffer text).
--
-- Run by test.sh, sourced with --cmd before the first note is loaded, as a
-- user's init.lua would be:
--   nvim --headless -u NONE -i NONE -n --cmd "luafile test/test.lua" NOTE
-- Environment: VAULT_LSP (the binary), VAULT (a copy of tests/vault),
-- OTHER_VAULT (a second vault), LOG (the server's log file), PLUGIN_DIR
-- (editors/nvim), MODE: how the plugin is installed,
--   setup   require("vault_lsp").setup(opts) in init.lua (the folder on
--           'runtimepath', as a pack/*/start plugin or a plain rtp entry);
--   lazy    what lazy.nvim does with the README's spec (ft = "markdown"):
--           nothing until a Markdown buffer's FileType, then the folder
--           added to 'runtimepath', its plugin/ files sourced and
--           require("vault_lsp").setup(opts) called; the note is by then
--           already open, and the plugin must attach to it;
--   native  0.11+: vim.lsp.config("vault_lsp", {...}) and
--           vim.lsp.enable("vault_lsp") with the folder on 'runtimepath'
--           (lsp/vault_lsp.lua), setup() never called.
-- Every wait has a deadline (NVIM_TEST_TIMEOUT ms, default 10000); the
-- test ends with :cquit and the logs printed when a check fails.

local MODE = os.getenv("MODE") or "setup"
local TIMEOUT = tonumber(os.getenv("NVIM_TEST_TIMEOUT") or "") or 10000
local uv = vim.uv or vim.loop
local function has(v)
  return vim.fn.has("nvim-" .. v) == 1
end

local bin = assert(os.getenv("VAULT_LSP"), "VAULT_LSP not set")
local vault = assert(os.getenv("VAULT"), "VAULT not set")
local other = assert(os.getenv("OTHER_VAULT"), "OTHER_VAULT not set")
local log = assert(os.getenv("LOG"), "LOG not set")
local plugin_dir = assert(os.getenv("PLUGIN_DIR"), "PLUGIN_DIR not set")

-- ---- reporting ------------------------------------------------------------

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

-- Deprecation warnings (0.12 warns about APIs 0.13 drops) and the
-- notifications the plugin or Neovim shows, recorded to be checked.
local deprecated, notified = {}, {}
local real_deprecate = vim.deprecate
vim.deprecate = function(name, alternative, ...)
  table.insert(deprecated, tostring(name) .. " (use " .. tostring(alternative) .. ")")
  return real_deprecate(name, alternative, ...)
end
vim.notify = function(msg, level)
  table.insert(notified, { msg = msg, level = level })
end

local function lsp_log_path()
  return (vim.lsp.log and vim.lsp.log.get_filename or vim.lsp.get_log_path)()
end

local function read(path)
  local f = io.open(path, "r")
  if not f then
    return ""
  end
  local s = f:read("*a")
  f:close()
  return s
end

-- ---- waiting, as a coroutine resumed from Neovim's main loop ---------------
-- Nothing blocks: while a step waits, Neovim runs its loop, so typed keys,
-- server messages and timers are handled as in an interactive session.

local co
local function resume()
  local ok, err = coroutine.resume(co)
  if not ok then
    check("test script ran to the end", false, debug.traceback(co, err))
    co = coroutine.create(function()
      _G.vault_test_finish()
    end)
    coroutine.resume(co)
  end
end

local function wait(cond, ms)
  local deadline = uv.hrtime() / 1e6 + (ms or TIMEOUT)
  while true do
    local ok, v = pcall(cond)
    if ok and v then
      return true
    end
    if uv.hrtime() / 1e6 > deadline then
      return false
    end
    vim.defer_fn(resume, 20)
    coroutine.yield()
  end
end

-- Keys as typed by the user (mappings apply).
local function keys(k)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(k, true, false, true), "t", false)
end

local function normal_mode()
  keys("<Esc>")
  return wait(function()
    return vim.api.nvim_get_mode().mode == "n"
  end)
end

-- ---- installing the plugin (at --cmd time, as init.lua) -------------------

local attached = {} -- bufnr -> client id, from on_attach
local function on_attach(client, bufnr)
  attached[bufnr] = client.id
end

-- Settings that show in the diagnostics: at threshold 0.9 the 85% near
-- duplicate on line 31 of Ragnar's card goes, and duplicate-fact (a
-- warning by default) becomes an error.
local SETTINGS = { duplicates = { threshold = 0.9 }, diagnostics = { ["duplicate-fact"] = "error" } }
local server_cmd = { bin, "--log", log, "--log-level", os.getenv("VAULT_LSP_LOG_LEVEL") or "debug" }
local opts = {
  cmd = server_cmd,
  settings = { ["vault-lsp"] = SETTINGS },
  on_attach = on_attach,
}

vim.cmd("filetype on")
vim.o.showmode = false -- no "-- INSERT --" on stdout
vim.opt.shortmess:append("c")
-- Neovim's LSP log at debug level records every message it sends.
;(vim.lsp.log and vim.lsp.log.set_level or vim.lsp.set_log_level)("debug")

if MODE == "setup" then
  require("vault_lsp").setup(opts)
elseif MODE == "native" then
  vim.lsp.config("vault_lsp", opts)
  vim.lsp.enable("vault_lsp")
elseif MODE == "lazy" then
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "markdown",
    once = true,
    callback = function()
      vim.opt.runtimepath:append(plugin_dir)
      for _, f in ipairs(vim.fn.glob(plugin_dir .. "/plugin/**/*.lua", false, true)) do
        vim.cmd("source " .. vim.fn.fnameescape(f))
      end
      require("vault_lsp").setup(opts)
    end,
  })
else
  error("MODE must be setup, lazy or native: " .. MODE)
end
if MODE ~= "lazy" then
  -- Neovim sources plugin/ at startup for what is on 'runtimepath'; -u NONE
  -- turns that off, so the test does it.
  vim.cmd("runtime! plugin/vault_lsp.lua")
end

-- ---- the steps ---------------------------------------------------------------

local function clients()
  return require("vault_lsp").get_clients()
end

local function rel(path)
  path = path:gsub("^" .. vim.pesc(vault) .. "/", "")
  return path
end

local function lines_of(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

-- 0-based line and byte column of `text` in the buffer (first place).
local function find(bufnr, text)
  for i, l in ipairs(lines_of(bufnr)) do
    local col = l:find(text, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  error("not in " .. vim.api.nvim_buf_get_name(bufnr) .. ": " .. text)
end

local function open(relpath)
  vim.cmd("edit " .. vim.fn.fnameescape(vault .. "/" .. relpath))
  local bufnr = vim.api.nvim_get_current_buf()
  wait(function()
    return attached[bufnr] ~= nil
  end)
  return bufnr
end

-- Put the cursor on `text` (plus `offset` bytes) in the current buffer.
local function cursor_on(text, offset)
  local l, c = find(0, text)
  vim.api.nvim_win_set_cursor(0, { l + 1, c + (offset or 0) })
end

local function floats()
  local wins = {}
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= "" then
      table.insert(wins, w)
    end
  end
  return wins
end

local function close_floats()
  for _, w in ipairs(floats()) do
    pcall(vim.api.nvim_win_close, w, true)
  end
end

-- Hover as the user asks for it (K, which 0.10+ maps when a client
-- attaches; vim.lsp.buf.hover() on 0.7), read from the float it opens.
local function hover_text()
  close_floats()
  if has("0.10") then
    keys("K")
  else
    vim.lsp.buf.hover()
  end
  local text
  wait(function()
    local w = floats()[1]
    if w then
      text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), "\n")
    end
    return text ~= nil and text ~= ""
  end)
  close_floats()
  return text or ""
end

local function qf_entries()
  local items = {}
  for _, e in ipairs(vim.fn.getqflist()) do
    table.insert(items, ("%s:%d"):format(rel(vim.api.nvim_buf_get_name(e.bufnr)), e.lnum))
  end
  return items
end

-- Waits for a new quickfix list (after `action`) and returns its title and entries.
local function new_qf(action)
  vim.fn.setqflist({}, "f")
  action()
  local title
  wait(function()
    return #vim.fn.getqflist() > 0
  end)
  title = vim.fn.getqflist({ title = 1 }).title
  local items = qf_entries()
  vim.cmd("cclose")
  return title, items
end

-- The initializationOptions of the n-th initialize request Neovim sent,
-- from its own record (its LSP log, at debug level), without whitespace.
local function sent_init_options(n)
  local seen = 0
  for line in read(lsp_log_path()):gmatch("[^\n]+") do
    if line:find('"rpc.send"', 1, true) and line:find('method = "initialize"', 1, true) then
      seen = seen + 1
      if seen == n then
        local flat = line:gsub("%s+", "")
        local opts_sent = flat:match("initializationOptions=(.-),processId=")
        -- (vim.empty_dict() in lsp/vault_lsp.lua leaves a metatable in the log.)
        return opts_sent and opts_sent:gsub(",<metatable>=%b{}", "") or flat
      end
    end
  end
  return nil
end

local SEVERITY = { "error", "warning", "info", "hint" }
local function diagnostics_of(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(list, ("%d %s %s: %s"):format(d.lnum + 1, SEVERITY[d.severity], code, d.message))
  end
  table.sort(list, function(a, b)
    local la, lb = tonumber(a:match("^%d+")), tonumber(b:match("^%d+"))
    if la ~= lb then
      return la < lb
    end
    return a < b
  end)
  return list
end

local function same_list(a, b)
  return table.concat(a, "\n") == table.concat(b, "\n")
end

-- Ragnar's card as `vault-lsp check` reports it, with SETTINGS applied.
local RAGNAR_DIAGNOSTICS = {
  "3 info duplicate-card: Another card for the same person: Contacts/Ragnar Eiriksson.md",
  "23 info near-duplicate-fact: Near-duplicate fact: 100% like line 21",
  "25 info subsumed-fact: Fact already said by the longer fact on line 21",
  "27 info near-duplicate-fact: Near-duplicate fact: 100% like line 25",
  "37 error duplicate-fact: Duplicate fact: the same as line 25",
  "42 warning unresolved-link: Unresolved link: no note named '2026-01-03 - Prep for Northwind talks'",
  "45 info near-duplicate-fact: Near-duplicate fact: 93% like line 44",
  "58 error duplicate-fact: Duplicate fact: the same as line 56",
  "64 info near-duplicate-fact: Near-duplicate fact: 100% like line 62",
}
-- ... and after the settings change: threshold 0.8, duplicate-fact a hint.
local RAGNAR_DIAGNOSTICS_AFTER = {
  "3 info duplicate-card: Another card for the same person: Contacts/Ragnar Eiriksson.md",
  "23 info near-duplicate-fact: Near-duplicate fact: 100% like line 21",
  "25 info subsumed-fact: Fact already said by the longer fact on line 21",
  "27 info near-duplicate-fact: Near-duplicate fact: 100% like line 25",
  "31 info near-duplicate-fact: Near-duplicate fact: 85% like line 29",
  "37 hint duplicate-fact: Duplicate fact: the same as line 25",
  "42 warning unresolved-link: Unresolved link: no note named '2026-01-03 - Prep for Northwind talks'",
  "45 info near-duplicate-fact: Near-duplicate fact: 93% like line 44",
  "58 hint duplicate-fact: Duplicate fact: the same as line 56",
  "64 info near-duplicate-fact: Near-duplicate fact: 100% like line 62",
}

local function run()
  local v = vim.version()
  out(("Neovim %d.%d.%d, %s"):format(v.major, v.minor, v.patch, MODE))

  if has("0.10") then
    -- Neovim's runtime needs lpeg and luv (linked into Debian's binary) and
    -- finds its tree-sitter parsers in usr/lib/nvim of the package.
    local ok_ts, parser = pcall(vim.treesitter.get_string_parser, "# Title\n", "markdown")
    check("Neovim's own lpeg, luv and markdown parser load", vim.lpeg ~= nil and pcall(require, "lpeg")
      and vim.uv ~= nil and vim.uv.version() > 0 and ok_ts and parser ~= nil,
      { lpeg = vim.lpeg ~= nil, uv = vim.uv ~= nil, parser = tostring(parser) })
  end

  -- ---- the note given on the command line; the client attaches ----------
  local ragnar = vim.api.nvim_get_current_buf()
  check("the note on the command line is People/Ragnar Eiriksson.md, filetype markdown",
    rel(vim.api.nvim_buf_get_name(ragnar)) == "People/Ragnar Eiriksson.md"
      and vim.bo[ragnar].filetype == "markdown",
    { name = vim.api.nvim_buf_get_name(ragnar), ft = vim.bo[ragnar].filetype })
  if MODE == "lazy" then
    check("lazy: the plugin was loaded by the note's FileType",
      package.loaded["vault_lsp"] ~= nil and vim.tbl_contains(vim.opt.runtimepath:get(), plugin_dir),
      vim.o.runtimepath)
  end
  local client
  local up = wait(function()
    client = clients()[1]
    return client ~= nil and client.initialized and attached[ragnar] == client.id
  end)
  if not check("a client started, initialized and attached to the open note", up,
      { client = client and { id = client.id, initialized = client.initialized }, attached = attached }) then
    return
  end
  check("its workspace folder is the vault", client.workspace_folders
    and client.workspace_folders[1].name == vault, client.workspace_folders)

  -- ---- settings: sent as initializationOptions; their effect -------------
  check("initialize carried the settings as initializationOptions",
    sent_init_options(1) == '{diagnostics={["duplicate-fact"]="error"},duplicates={threshold=0.9}}',
    sent_init_options(1))

  local diags = {}
  local got = wait(function()
    diags = diagnostics_of(ragnar)
    return same_list(diags, RAGNAR_DIAGNOSTICS)
  end)
  check("vim.diagnostic.get(): Ragnar's card, with the settings' threshold and severity", got, diags)

  -- ---- the settings changed while running (workspace/didChangeConfiguration)
  local new = { duplicates = { threshold = 0.8 }, diagnostics = { ["duplicate-fact"] = "hint" } }
  if MODE == "native" then
    -- The plain Neovim way (README): the client's settings, then notify.
    for _, c in ipairs(vim.lsp.get_clients({ name = "vault_lsp" })) do
      c.settings = vim.tbl_deep_extend("force", c.settings, { ["vault-lsp"] = new })
      c:notify("workspace/didChangeConfiguration", { settings = c.settings })
    end
  else
    check("update_settings() tells the one running client", require("vault_lsp").update_settings(new) == 1)
  end
  got = wait(function()
    diags = diagnostics_of(ragnar)
    return same_list(diags, RAGNAR_DIAGNOSTICS_AFTER)
  end)
  check("didChangeConfiguration: threshold 0.8 and duplicate-fact as hint, without a restart", got, diags)
  local c_settings = client.settings or client.config.settings
  check("... and workspace/configuration would answer the same", c_settings["vault-lsp"].duplicates.threshold
    == 0.8 and c_settings["vault-lsp"].diagnostics["duplicate-fact"] == "hint", c_settings)

  -- ---- hover -----------------------------------------------------------------
  cursor_on("[[Priya Natarajan]]", 4)
  local text = hover_text()
  check("hover on [[Priya Natarajan]]: title, kind and role", text:find("Priya Natarajan", 1, true)
    and text:find("person", 1, true) and text:find("Director of Product", 1, true), text)

  local inbox = open("Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md")
  cursor_on("[[Tomas Wierzbicki]]", 4)
  text = hover_text()
  local plain = text:gsub("[*_]", "")
  check("hover on the alias [[Tomas Wierzbicki]] names the canonical note",
    plain:find("Tomas Wierzbicki is an alias of Tomasz Wierzbicki (person)", 1, true), text)

  -- ---- go to definition ------------------------------------------------------
  local function definition_from(bufnr, text_at, offset)
    vim.cmd("buffer " .. bufnr)
    cursor_on(text_at, offset)
    local before = vim.api.nvim_get_current_buf()
    vim.lsp.buf.definition()
    wait(function()
      return vim.api.nvim_get_current_buf() ~= before
    end)
    return rel(vim.api.nvim_buf_get_name(0)), vim.api.nvim_win_get_cursor(0)[1], vim.api.nvim_get_current_line()
  end
  local file, line, at = definition_from(ragnar, "[[Project Lighthouse#Milestones]]", 5)
  check("definition from [[Project Lighthouse#Milestones]]: Projects/Project Lighthouse.md, line 13",
    file == "Projects/Project Lighthouse.md" and line == 13 and at == "## Milestones",
    { file = file, line = line, text = at })
  local lighthouse = vim.api.nvim_get_current_buf()
  wait(function()
    return attached[lighthouse] ~= nil
  end)
  check("the second note of the vault reuses the client", attached[lighthouse] == client.id
    and #clients() == 1, { attached = attached, clients = #clients() })

  local meeting = open("Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md")
  file, line, at = definition_from(meeting, "participants: [\"Priya Natarajan", 17)
  check("definition from the participants: value \"Priya Natarajan\": People/Priya Natarajan.md, line 1",
    file == "People/Priya Natarajan.md" and line == 1, { file = file, line = line, text = at })
  local priya = vim.api.nvim_get_current_buf()

  -- ---- references --------------------------------------------------------------
  vim.cmd("buffer " .. priya)
  cursor_on("[[Project Lighthouse]]", 4)
  local title, items = new_qf(function()
    vim.lsp.buf.references()
  end)
  -- Its links (those to its headings and blocks too) and its title heading.
  check("vim.lsp.buf.references() on [[Project Lighthouse]] fills the quickfix list", same_list(items, {
    "Contacts/Ragnar Eiriksson.md:42",
    "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md:47",
    "People/Priya Natarajan.md:21",
    "People/Ragnar Eiriksson.md:44",
    "People/Ragnar Eiriksson.md:44",
    "Projects/Project Lighthouse.md:9",
  }), { title = title, items = items })

  -- ---- the plugin's commands ----------------------------------------------------
  -- The code lens on ## Milestones and its command, vault-lsp.showReferences.
  vim.cmd("buffer " .. lighthouse)
  if vim.lsp.codelens.enable then
    vim.lsp.codelens.enable(true, { bufnr = lighthouse })
  else
    vim.lsp.codelens.refresh({ bufnr = lighthouse })
  end
  local lens
  wait(function()
    local got_lenses = has("0.12") and vim.lsp.codelens.get({ bufnr = lighthouse })
      or vim.lsp.codelens.get(lighthouse)
    for _, l in ipairs(got_lenses) do
      l = l.lens or l
      if l.range.start.line == 12 and (l.command or has("0.12")) then
        lens = l
      end
    end
    return lens ~= nil
  end)
  if lens and not lens.command then
    -- 0.12 resolves lenses when it draws them, and a headless Neovim draws
    -- nothing: ask as it would.
    local res = vim.lsp.buf_request_sync(lighthouse, "codeLens/resolve", lens, TIMEOUT)
    lens = res and res[client.id] and res[client.id].result or lens
  end
  check("a code lens on ## Milestones: \"1 reference\"", lens and lens.command
    and lens.command.title == "1 reference", lens)
  vim.api.nvim_win_set_cursor(0, { 13, 0 })
  title, items = new_qf(function()
    vim.lsp.codelens.run()
  end)
  check("vim.lsp.codelens.run() runs vault-lsp.showReferences: the quickfix list",
    title == "vault-lsp: references" and same_list(items, { "People/Ragnar Eiriksson.md:44" }),
    { title = title, items = items })

  title, items = new_qf(function()
    vim.cmd("VaultUnlinkedMentions")
  end)
  -- "Project Lighthouse planning." and "... the Object Store that Lighthouse integrates with."
  check(":VaultUnlinkedMentions lists where Project Lighthouse is named without a link",
    title == "vault-lsp: unlinked mentions of Project Lighthouse"
      and same_list(items, { "Customers/Northwind.md:17", "People/Ragnar Eiriksson.md:45" }),
    { title = title, items = items })

  -- ---- rename a heading: the link in another note follows ----------------------
  vim.cmd("buffer " .. lighthouse)
  vim.api.nvim_win_set_cursor(0, { 13, 4 })
  vim.lsp.buf.rename("Roadmap")
  local renamed = wait(function()
    return vim.api.nvim_buf_get_lines(lighthouse, 12, 13, false)[1] == "## Roadmap"
  end)
  check("vim.lsp.buf.rename() renames the heading", renamed, vim.api.nvim_buf_get_lines(lighthouse, 12, 13, false))
  local link_line = vim.api.nvim_buf_get_lines(ragnar, 43, 44, false)[1]
  check("... and the link to it in Ragnar's card", link_line
    == "- 2025-11-07: Mentioned in: [[Project Lighthouse]] planning, see [[Project Lighthouse#Roadmap]].", link_line)

  -- ---- a quick fix through vim.lsp.buf.code_action() ----------------------------
  vim.cmd("buffer " .. inbox)
  cursor_on("[[Orion Migration - EU Region]]", 4)
  local offered, chose
  local real_select = vim.ui.select
  vim.ui.select = function(choices, select_opts, on_choice)
    offered = {}
    for i, choice in ipairs(choices) do
      local label = select_opts.format_item and select_opts.format_item(choice) or tostring(choice)
      table.insert(offered, label)
      if not chose and label:find("Orion Migration (EU region)", 1, true) and label:find("Change", 1, true) then
        chose = i
      end
    end
    on_choice(chose and choices[chose], chose)
  end
  vim.lsp.buf.code_action()
  local fixed_line = "- [[Orion Migration (EU region)]]"
  local l49 = select(1, find(inbox, "Orion Migration"))
  local fixed = wait(function()
    return vim.api.nvim_buf_get_lines(inbox, l49, l49 + 1, false)[1] == fixed_line
  end)
  vim.ui.select = real_select
  check("code actions on the unresolved link offer the \"did you mean\" fix", chose ~= nil, offered)
  check("... applied: the buffer has the fixed link", fixed,
    { want = fixed_line, line = vim.api.nvim_buf_get_lines(inbox, l49, l49 + 1, false)[1] })
  got = wait(function()
    for _, d in ipairs(diagnostics_of(inbox)) do
      if d:find("Orion Migration", 1, true) then
        return false
      end
    end
    return true
  end)
  check("... and its diagnostic is gone", got, diagnostics_of(inbox))

  -- ---- completion after [[ -------------------------------------------------------
  vim.cmd("buffer " .. ragnar)
  local uri = vim.uri_from_bufnr(ragnar)
  -- What a completion plugin (nvim-cmp, blink.cmp) asks and applies.
  local function complete_request(typed)
    local n = vim.api.nvim_buf_line_count(ragnar)
    vim.api.nvim_buf_set_lines(ragnar, n, n, false, { typed })
    local res = vim.lsp.buf_request_sync(ragnar, "textDocument/completion", {
      textDocument = { uri = uri },
      position = { line = n, character = #typed },
      context = { triggerKind = 1 },
    }, TIMEOUT)
    local result = res and res[client.id] and res[client.id].result
    return n, result and (result.items or result) or {}
  end
  local n, completions = complete_request("- Met [[Tomek")
  local labels, alias = {}, nil
  for _, it in ipairs(completions) do
    table.insert(labels, it.label)
    if it.label == "Tomek" then
      alias = it
    end
  end
  check("completion after [[Tomek offers the alias Tomek", alias ~= nil, labels)
  local edit = alias and alias.textEdit
  check("... whose edit writes [[Tomasz Wierzbicki|Tomek]] from right after [[", edit
    and edit.newText == "Tomasz Wierzbicki|Tomek]]" and (edit.range or edit.replace).start.character == 8
    and (edit.range or edit.replace)["end"].character == #"- Met [[Tomek", edit)
  if edit then
    vim.lsp.util.apply_text_edits({ { range = edit.range or edit.replace, newText = edit.newText } },
      ragnar, client.offset_encoding or "utf-16")
  end
  local after = vim.api.nvim_buf_get_lines(ragnar, n, n + 1, false)[1]
  check("... applied: - Met [[Tomasz Wierzbicki|Tomek]]", after == "- Met [[Tomasz Wierzbicki|Tomek]]", after)

  -- Typed in Insert mode, with Neovim's own omnifunc (<C-x><C-o>).
  if vim.bo[ragnar].omnifunc == "" then
    vim.bo[ragnar].omnifunc = "v:lua.vim.lsp.omnifunc" -- 0.7 leaves it to on_attach
  end
  local function omni(typed, want_word, want_line)
    normal_mode()
    keys("Go- Met " .. typed .. "<C-x><C-o>")
    local info, words = nil, {}
    local shown = wait(function()
      info = vim.fn.complete_info({ "items", "selected" })
      return #info.items > 0
    end)
    for _, it in ipairs(info.items) do
      table.insert(words, it.word)
    end
    check(("omnifunc after %s: the menu offers %s"):format(typed, want_word),
      shown and vim.tbl_contains(words, want_word), words)
    keys("<C-y>")
    normal_mode()
    local line_now = vim.api.nvim_get_current_line()
    check(("... accepted: %s"):format(want_line), line_now == want_line, line_now)
  end
  omni("[[Pri", "Priya Natarajan]]", "- Met [[Priya Natarajan]]")
  if has("0.11") then
    -- 0.11+ filters on filterText from the range's start: aliases too.
    -- (0.7-0.10 filter on the inserted word from Vim's keyword: README.)
    omni("[[Tomek", "Tomasz Wierzbicki|Tomek]]", "- Met [[Tomasz Wierzbicki|Tomek]]")
  end

  if has("0.11") then
    -- 0.11's built-in completion, shown as the user types [[.
    vim.o.completeopt = "menuone,noselect"
    vim.lsp.completion.enable(true, client.id, ragnar, { autotrigger = true })
    normal_mode()
    keys("Go- Met [[")
    local info, abbrs = nil, {}
    local shown = wait(function()
      info = vim.fn.complete_info({ "items" })
      return #info.items > 0
    end)
    for _, it in ipairs(info.items) do
      table.insert(abbrs, it.abbr)
    end
    check("vim.lsp.completion: typing [[ shows notes and aliases", shown
      and vim.tbl_contains(abbrs, "Priya Natarajan") and vim.tbl_contains(abbrs, "Tomek")
      and vim.tbl_contains(abbrs, "Zoë Ólafsdóttir"), abbrs)
    keys("Zo")
    wait(function()
      info = vim.fn.complete_info({ "items" })
      return vim.api.nvim_get_current_line() == "- Met [[Zo" and #info.items > 0
        and info.items[1].abbr:find("Zo") == 1
    end)
    keys("<C-n><C-y>")
    normal_mode()
    local line_now = vim.api.nvim_get_current_line()
    check("... [[Zo, then <C-n><C-y>: - Met [[Zoë Ólafsdóttir]]", line_now == "- Met [[Zoë Ólafsdóttir]]",
      { line = line_now, menu = info and info.items })
    vim.lsp.completion.enable(false, client.id, ragnar)
  end

  -- ---- a second vault gets a client of its own ------------------------------------
  vim.cmd("edit " .. vim.fn.fnameescape(other .. "/Notes/Elsewhere.md"))
  local elsewhere = vim.api.nvim_get_current_buf()
  local second = wait(function()
    return attached[elsewhere] ~= nil
  end)
  local other_client = second and vim.lsp.get_client_by_id(attached[elsewhere])
  check("another vault starts a second client rooted there", second and attached[elsewhere] ~= client.id
    and other_client and other_client.workspace_folders[1].name == other,
    { attached = attached, folders = other_client and other_client.workspace_folders })
  if MODE ~= "native" then
    -- update_settings() holds for clients started later (0.7 gets them
    -- only as initializationOptions).
    check("... started with the updated settings as initializationOptions",
      sent_init_options(2) == '{diagnostics={["duplicate-fact"]="hint"},duplicates={threshold=0.8}}',
      sent_init_options(2))
  end

  -- ---- :checkhealth vault_lsp ----------------------------------------------------------
  local hok, herr = pcall(vim.cmd, "silent checkhealth vault_lsp")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  if os.getenv("SHOW_HEALTH") then
    out(report)
  end
  local how = MODE == "native" and "configured with vim.lsp.config" or "setup() was called"
  check(":checkhealth vault_lsp: how it is installed, the server and both clients", hok
    and report:find(how, 1, true) and report:find("vault-lsp 0", 1, true)
    and report:find("client %d+: " .. vim.pesc(vault) .. ", %d+ buffer")
    and report:find("client %d+: " .. vim.pesc(other) .. ", 1 buffer")
    and not report:find("ERROR", 1, true) and not report:find("WARNING", 1, true), hok and report or herr)

  -- ---- lsp/vault_lsp.lua, the 0.11 config file ---------------------------------------
  local files = vim.api.nvim_get_runtime_file("lsp/vault_lsp.lua", true)
  local ok, cfg = pcall(dofile, files[1] or "")
  check("lsp/vault_lsp.lua: cmd, filetypes, root_markers, settings, the lens command", ok
    and type(cfg) == "table" and cfg.cmd[1] == "vault-lsp" and vim.tbl_contains(cfg.filetypes, "markdown")
    and cfg.root_markers[1] == ".obsidian" and type(cfg.settings["vault-lsp"]) == "table"
    and type(cfg.commands["vault-lsp.showReferences"]) == "function", { files = files, cfg = cfg })

  if not has("0.11") then
    -- On 0.7-0.10, what setup() would hand 0.11's vim.lsp.config (stand-ins).
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
      c.root_dir(ragnar, function(r)
        table.insert(roots, r or "nil")
      end)
    end
    check("stand-in 0.11: setup() calls vim.lsp.config('vault_lsp', ...) and vim.lsp.enable", okn
      and given and given.name == "vault_lsp" and enabled == "vault_lsp" and c.cmd[1] == bin
      and vim.tbl_contains(c.filetypes, "markdown"), { err = errn, given = given, enabled = enabled })
    check("stand-in 0.11: settings under vault-lsp, also as init_options", c.settings
      and c.settings["vault-lsp"] and c.settings["vault-lsp"].logLevel == "debug"
      and c.init_options and c.init_options.logLevel == "debug", c)
    check("stand-in 0.11: root_dir(bufnr, on_dir) gives the vault", #roots == 1 and roots[1] == vault, roots)
  end
end

function _G.vault_test_finish()
  close_floats()
  pcall(normal_mode)
  check("no deprecated Neovim API was used", #deprecated == 0, deprecated)
  local loud = {}
  for _, n in ipairs(notified) do
    if (n.level or 0) >= vim.log.levels.WARN then
      table.insert(loud, n.msg)
    end
  end
  check("no warning or error was shown (vim.notify)", #loud == 0, loud)
  -- Shut the servers down as a user quitting would, and wait for them.
  for _, c in ipairs(clients()) do
    if has("0.11") then
      c:stop()
    else
      vim.lsp.stop_client(c.id)
    end
  end
  local stopped = wait(function()
    return #clients() == 0
  end, 5000)
  check("the servers shut down", stopped, #clients())
  local errors = {}
  for line in read(log):gmatch("[^\n]+") do
    if line:find(" error ", 1, true) or line:find("configuration", 1, true) and line:find("warn", 1, true) then
      table.insert(errors, line)
    end
  end
  check("the server logged no error and no configuration warning", #errors == 0, errors)
  out(("%d passed, %d failed"):format(passed, failed))
  if failed > 0 then
    out("---- server log ----\n" .. read(log))
    local lsplog = read(lsp_log_path())
    if lsplog ~= "" then
      out("---- Neovim's LSP log (last 6000 bytes) ----\n" .. lsplog:sub(-6000))
    end
    if #notified > 0 then
      out("---- vim.notify ----\n" .. vim.inspect(notified))
    end
    -- What the screen would show: each window's buffer around its cursor.
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      local b = vim.api.nvim_win_get_buf(w)
      local row = vim.api.nvim_win_get_cursor(w)[1]
      local first = math.max(row - 5, 1)
      out(("---- window %d: %s, cursor line %d ----"):format(w, vim.api.nvim_buf_get_name(b), row))
      for i, l in ipairs(vim.api.nvim_buf_get_lines(b, first - 1, row + 5, false)) do
        out(("%4d %s"):format(first + i - 1, l))
      end
    end
    local msgs = vim.fn.execute("messages")
    if msgs ~= "" then
      out("---- :messages ----" .. msgs)
    end
    vim.cmd("cquit 1")
  else
    vim.cmd("qa!")
  end
end

-- Start once Neovim has started (the note is loaded, VimEnter has run).
vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    co = coroutine.create(function()
      run()
      _G.vault_test_finish()
    end)
    vim.schedule(resume)
  end,
})
