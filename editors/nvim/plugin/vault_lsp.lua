-- vault-lsp's user commands. Neovim sources this at startup for a plugin
-- on 'runtimepath' (lazy.nvim when it loads the plugin); the module is
-- required only when a command runs.
if vim.g.loaded_vault_lsp then
  return
end
vim.g.loaded_vault_lsp = 1

vim.api.nvim_create_user_command("VaultUnlinkedMentions", function()
  require("vault_lsp").unlinked_mentions(0)
end, { desc = "vault-lsp: unlinked mentions of this note, in the quickfix list" })
