;;; vault-lsp.el --- vault-lsp for Markdown notes with Eglot  -*- lexical-binding: t; -*-

;; Configuration only: every feature is the server's.  Load this file, or
;; copy these forms into your init file.  Needs Eglot (built into Emacs
;; 29; `apt-get install elpa-eglot' or M-x package-install on 28) and
;; markdown-mode.

;;; Code:

(require 'eglot)
(require 'project)

(defvar vault-lsp-command '("vault-lsp")
  "The server and its arguments, e.g. (\"vault-lsp\" \"--log\" \"/tmp/vault-lsp.log\").")

;; vault-lsp for markdown-mode and gfm-mode (markdown-mode's GitHub flavour).
(add-to-list 'eglot-server-programs
             `((markdown-mode gfm-mode) . ,(lambda (&rest _) vault-lsp-command)))

;; The vault is the project Eglot starts the server in: make a folder with
;; .obsidian a project root, so that a vault that is not (or not only) a
;; git repository is indexed whole.  Emacs 29+ can say the same with
;; (setq project-vc-extra-root-markers '(".obsidian")).
(defun vault-lsp-project-find (dir)
  "The vault above DIR: the nearest folder holding .obsidian, as a project."
  (let ((root (locate-dominating-file dir ".obsidian")))
    (and root (cons 'transient (expand-file-name root)))))
(add-hook 'project-find-functions #'vault-lsp-project-find)

;; Start it for every note.
(add-hook 'markdown-mode-hook #'eglot-ensure)

(provide 'vault-lsp)
;;; vault-lsp.el ends here
