;;; test.el --- vault-lsp with Eglot, in batch mode  -*- lexical-binding: t; -*-
;; Run by ../test.sh: emacs --batch -q -l test.el (Debian's site-start
;; puts the elpa-* packages on the load path)
;; Environment: VAULT_LSP (the binary), VAULT (a copy of tests/vault),
;; LOG (the server's log), EMACS_DIR (editors/emacs).

(require 'cl-lib)
(require 'subr-x)

(defvar test-passed 0)
(defvar test-failed 0)
(defconst test-timeout 10.0)

(defun test-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun test-check (name ok saw)
  (if ok
      (progn (setq test-passed (1+ test-passed)) (test-out "ok   %s" name))
    (setq test-failed (1+ test-failed))
    (test-out "FAIL %s\n     saw: %S" name saw))
  ok)

(defun test-wait (pred)
  "Process input until PRED is true or `test-timeout' passes; PRED's value."
  (let ((deadline (+ (float-time) test-timeout)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    v))

(defun test-find (text)
  (goto-char (point-min))
  (unless (search-forward text nil t) (error "not in the note: %s" text))
  (goto-char (match-beginning 0)))

(defun test-run ()
  (let ((bin (getenv "VAULT_LSP")) (vault (getenv "VAULT")) (log (getenv "LOG")))
    (test-out "Emacs %s, Eglot from %s" emacs-version (locate-library "eglot"))
    (require 'markdown-mode)
    (load (expand-file-name "vault-lsp.el" (getenv "EMACS_DIR")) nil t)
    (setq vault-lsp-command (list bin "--log" log "--log-level" "trace"))
    (setq eglot-sync-connect t)

    ;; ---- open a note; eglot-ensure connects after the next command ----
    (find-file (expand-file-name "People/Ragnar Eiriksson.md" vault))
    (test-check "markdown-mode" (derived-mode-p 'markdown-mode) major-mode)
    (run-hooks 'post-command-hook)        ; what the command loop would do
    (test-check "Eglot manages the note (eglot--managed-mode)"
                (test-wait (lambda () eglot--managed-mode)) (eglot-current-server))
    (let ((server (eglot-current-server)))
      (test-check "the project is the vault (.obsidian)"
                  (and server (file-equal-p (project-root (eglot--project server)) vault))
                  (and server (eglot--project server)))

      ;; ---- diagnostics through Flymake ----
      ;; The vault's .dir-locals.el (written by test.sh) sets
      ;; eglot-workspace-configuration to a threshold of 0.9, which drops
      ;; the 85% near duplicate once the server has asked for it.
      (cl-labels ((codes (diags)
                    (delete-dups
                     (mapcar (lambda (d)
                               (plist-get (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d)))
                                          :code))
                             diags)))
                  (has-85 (diags)
                    (cl-some (lambda (d) (string-match-p "85%" (flymake-diagnostic-text d))) diags))
                  (wanted (diags)
                    (and (cl-subsetp '("duplicate-fact" "near-duplicate-fact" "subsumed-fact")
                                     (codes diags) :test #'equal)
                         (not (has-85 diags)))))
        (test-wait (lambda ()
                     (flymake-start)
                     (wanted (flymake-diagnostics))))
        (let ((diags (flymake-diagnostics)))
          (test-check "Flymake lists the duplicate facts (duplicate-, near-duplicate-, subsumed-fact)"
                      (cl-subsetp '("duplicate-fact" "near-duplicate-fact" "subsumed-fact")
                                  (codes diags) :test #'equal)
                      (mapcar #'flymake-diagnostic-text diags))
          (test-check "eglot-workspace-configuration reached the server (no 85% near duplicate at 0.9)"
                      (and diags (not (has-85 diags)))
                      (mapcar #'flymake-diagnostic-text diags))))

      ;; ---- hover on [[Priya Natarajan]] ----
      (test-find "[[Priya Natarajan]]")
      (forward-char 4)
      (let* ((res (jsonrpc-request server :textDocument/hover
                                   (eglot--TextDocumentPositionParams)))
             (contents (plist-get res :contents))
             (text (if (stringp contents) contents (plist-get contents :value))))
        (test-check "hover on [[Priya Natarajan]]: title, kind and role"
                    (and text (string-match-p "Priya Natarajan" text)
                         (string-match-p "Director of Product" text))
                    res))

      ;; ---- completion after [[Rag, through Eglot's capf ----
      (goto-char (point-max))
      (insert "\n- Met [[Rag")
      (eglot--signal-textDocument/didChange)
      (let* ((capf (eglot-completion-at-point))
             (table (nth 2 capf))
             (all (and capf (all-completions "" table))))
        (test-check "completion-at-point after [[Rag offers Ragnar Eiriksson"
                    (member "Ragnar Eiriksson" all) (list :capf-bounds (and capf (list (nth 0 capf) (nth 1 capf)))
                                                          :candidates (seq-take all 10))))
      (delete-region (line-beginning-position) (point-max))
      (delete-char -1)
      (eglot--signal-textDocument/didChange)

      ;; ---- definition: [[Project Lighthouse#Milestones]] -> line 13 ----
      (test-find "[[Project Lighthouse#Milestones]]")
      (forward-char 5)
      (let ((xref-prompt-for-identifier nil))
        (condition-case err
            (call-interactively #'xref-find-definitions)
          (error (test-out "     xref-find-definitions: %S" err))))
      (test-check "xref-find-definitions opens Projects/Project Lighthouse.md at line 13"
                  (and buffer-file-name
                       (string-suffix-p "/Projects/Project Lighthouse.md" buffer-file-name)
                       (= (line-number-at-pos) 13))
                  (list :file buffer-file-name :line (line-number-at-pos)))
      (test-check "the second note joins the same server"
                  (eq (eglot-current-server) server) (eglot-current-server))

      ;; ---- M-x eglot-shutdown ----
      ;; Eglot 1.9 sends shutdown and exit with "params": null, then has
      ;; jsonrpc.el delete the process at once (a SIGKILL that usually
      ;; wins the race with the server's own exit). What the server owes
      ;; it: an answer to shutdown, so eglot-shutdown signals no error.
      (let ((proc (jsonrpc--process server))
            (err (condition-case e (progn (eglot-shutdown server) nil) (error e))))
        (test-wait (lambda () (not (process-live-p proc))))
        (test-check "eglot-shutdown: shutdown answered, no error, the server is gone"
                    (and (null err) (not (process-live-p proc)))
                    (list :error err :live (process-live-p proc)
                          :status (process-exit-status proc)))))))

(condition-case err
    (test-run)
  (error (test-check "test script ran to the end" nil err)))
(test-out "%d passed, %d failed" test-passed test-failed)
(when (> test-failed 0)
  (let ((log (getenv "LOG")))
    (when (and log (file-exists-p log))
      (test-out "---- server log ----\n%s"
                (with-temp-buffer (insert-file-contents log) (buffer-string)))))
  (let ((ev (get-buffer (format "*EGLOT (%s) events*" "vault"))))
    (dolist (b (buffer-list))
      (when (string-match-p "EGLOT.*events" (buffer-name b))
        (with-current-buffer b
          (test-out "---- %s (last 4000 chars) ----\n%s" (buffer-name b)
                    (buffer-substring-no-properties (max (point-min) (- (point-max) 4000))
                                                    (point-max))))))))
(kill-emacs (if (> test-failed 0) 1 0))
