-- vault-lsp for Neovim 0.11+ (vim.lsp.config), in the nvim-lspconfig shape.
-- With this folder on 'runtimepath', `vim.lsp.enable("vault_lsp")` is all
-- it takes; override any field with vim.lsp.config("vault_lsp", { ... }).
-- Settings: the keys of the server's README, under "vault-lsp".
---@type vim.lsp.Config
return {
  cmd = { "vault-lsp" },
  filetypes = { "markdown" },
  root_markers = { ".obsidian", ".git" },
  settings = {
    -- e.g. folders = { People = "person", Clients = "customer" },
    --      ignore = { "Archive/" }, duplicates = { threshold = 0.8 },
    ["vault-lsp"] = vim.empty_dict(),
  },
  -- The command of the server's code lenses ("N references"): the
  -- references go to the quickfix list (lua/vault_lsp, in this folder).
  commands = {
    ["vault-lsp.showReferences"] = function(command, ctx)
      require("vault_lsp").show_references(command, ctx)
    end,
  },
  -- The same settings as initializationOptions too: `ignore` is read when
  -- the vault is first indexed, before workspace/configuration is answered.
  before_init = function(params, config)
    if params.initializationOptions == nil and config.settings then
      params.initializationOptions = config.settings["vault-lsp"]
    end
  end,
}
