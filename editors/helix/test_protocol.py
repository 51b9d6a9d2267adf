#!/usr/bin/env python3
"""vault-lsp as Helix drives it, over stdio, with Python's standard library.

Helix is not installable here, so this plays its part: the client
capabilities Helix sends (UTF-8 first among position encodings, dynamic
registration of file watchers, work-done progress, Markdown hover,
completion documentation on resolve; and once more without resolve, as
older clients do), its `config` table as initializationOptions and as the
answer to workspace/configuration, and its answers to server requests.

usage: test_protocol.py VAULT_LSP VAULT_COPY CONFIG_JSON LOG_FILE
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time
from urllib.parse import quote

TIMEOUT = 10.0


def uri_of(path):
    return "file://" + quote(os.path.abspath(path))


# What Helix (helix-lsp/src/client.rs) puts in `initialize`, trimmed to
# what matters here.
HELIX_CAPABILITIES = {
    "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]},
    "window": {"workDoneProgress": True, "showDocument": {"support": True}},
    "workspace": {
        "configuration": True,
        "didChangeConfiguration": {"dynamicRegistration": False},
        "workspaceFolders": True,
        "applyEdit": True,
        "didChangeWatchedFiles": {"dynamicRegistration": True, "relativePatternSupport": False},
        "workspaceEdit": {
            "documentChanges": True,
            "resourceOperations": ["create", "rename", "delete"],
            "failureHandling": "abort",
            "normalizesLineEndings": False,
        },
        "fileOperations": {"willRename": True, "didRename": True},
    },
    "textDocument": {
        "completion": {
            "completionItem": {
                "snippetSupport": True,
                "resolveSupport": {"properties": ["documentation", "detail",
                                                  "additionalTextEdits"]},
                "insertReplaceSupport": True,
                "deprecatedSupport": True,
                "tagSupport": {"valueSet": [1]},
            },
            "completionItemKind": {},
        },
        "hover": {"contentFormat": ["markdown"]},
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix"]}},
            "isPreferredSupport": True,
            "disabledSupport": True,
            "dataSupport": True,
        },
        "publishDiagnostics": {"versionSupport": True, "tagSupport": {"valueSet": [1, 2]}},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
    },
}


class Failure(Exception):
    pass


class Client:
    def __init__(self, argv, config):
        self.config = config
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.inbox = queue.Queue()
        self.next_id = 1
        self.notifications = []      # every notification, in order
        self.server_requests = []    # every request the server sent
        self.stderr = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            self.inbox.put(json.loads(body))

    def send(self, msg):
        msg["jsonrpc"] = "2.0"
        body = json.dumps(msg).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        msg = {"method": method}
        if params is not None:  # Helix leaves out a () params
            msg["params"] = params
        self.send(msg)

    def _answer(self, msg):
        """Answer a server request as Helix does."""
        self.server_requests.append(msg)
        method = msg["method"]
        if method == "workspace/configuration":
            result = []
            for item in msg["params"]["items"]:
                value = self.config
                for part in (item.get("section") or "").split("."):
                    if part:
                        value = value.get(part) if isinstance(value, dict) else None
                result.append(value)
            self.send({"id": msg["id"], "result": result})
        elif method in ("window/workDoneProgress/create", "client/registerCapability",
                        "client/unregisterCapability"):
            self.send({"id": msg["id"], "result": None})
        else:
            self.send({"id": msg["id"], "error": {"code": -32601, "message": "not in this test"}})

    def pump(self, until, timeout=TIMEOUT):
        """Handle messages until until(msg) is true for one; return it."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("timed out after %.0f s" % timeout)
            try:
                msg = self.inbox.get(timeout=left)
            except queue.Empty:
                raise Failure("timed out after %.0f s" % timeout)
            if msg is None:
                raise Failure("the server closed its output (exit status %s); stderr:\n%s"
                              % (self.proc.poll(), "".join(self.stderr[-20:])))
            if "method" in msg and "id" in msg:
                self._answer(msg)
            elif "method" in msg:
                self.notifications.append(msg)
            if until(msg):
                return msg

    def request(self, method, params, timeout=TIMEOUT):
        rid = self.next_id
        self.next_id += 1
        msg = {"id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        msg = self.pump(lambda m: m.get("id") == rid and "method" not in m, timeout)
        if "error" in msg:
            raise Failure("%s failed: %s" % (method, json.dumps(msg["error"])))
        return msg.get("result")

    def diagnostics_for(self, uri, timeout=TIMEOUT):
        def seen():
            for n in reversed(self.notifications):
                if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri:
                    return n["params"]["diagnostics"]
            return None
        if seen() is None:
            self.pump(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri, timeout)
        return seen()


def start(binary, log_path, vault, config, capabilities):
    """A server, initialized as Helix does it."""
    client = Client([binary, "--log", log_path], config)
    init = client.request("initialize", {
        "processId": os.getpid(),
        "clientInfo": {"name": "helix", "version": "24.7"},
        "rootPath": vault,
        "rootUri": uri_of(vault),
        "workspaceFolders": [{"name": os.path.basename(vault), "uri": uri_of(vault)}],
        "initializationOptions": config,
        "capabilities": capabilities,
    }, timeout=5)
    client.notify("initialized", {})
    # Helix sends its config once more after initialized.
    client.notify("workspace/didChangeConfiguration", {"settings": config})
    # A user asks seconds later; asked at once, completion, hover and
    # definition answer from the notes indexed so far. workspace/symbol
    # waits for all of them.
    client.request("workspace/symbol", {"query": ""})
    return client, init


def stop(client):
    """shutdown and exit, as Helix sends them (no params); the exit status."""
    client.request("shutdown", None)
    client.notify("exit", None)
    try:
        return client.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        client.proc.kill()
        return "still running 5 s after exit"


def main():
    binary, vault, config_path, log_path = sys.argv[1:5]
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    passed, failed = 0, 0

    def check(name, ok, saw):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   %s" % name)
        else:
            failed += 1
            print("FAIL %s\n     saw: %s" % (name, saw))

    client, init = start(binary, log_path, vault, config, HELIX_CAPABILITIES)
    try:
        caps = init["capabilities"]
        check("initialize: positionEncoding utf-8 chosen", caps.get("positionEncoding") == "utf-8",
              caps.get("positionEncoding"))
        check("initialize: completion triggers on [", "[" in caps.get("completionProvider", {})
              .get("triggerCharacters", []), caps.get("completionProvider"))

        # ---- a note with emoji, opened as Helix opens it ----
        note = os.path.join(vault, "Inbox", "Emoji check.md")
        text = ("# Emoji check\n"
                "\n"
                "🎉🎉🎉🎉🎉🎉 [[Northwind]] and more text here\n"
                "🚀 [[Rag\n")
        with open(note, "w", encoding="utf-8") as f:
            f.write(text)
        uri = uri_of(note)
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 0, "text": text}})

        # Byte 30 of line 2 is inside "Northwind" in UTF-8; as UTF-16 or
        # UTF-32 it would be in the plain text after the link.
        line2 = text.split("\n")[2]
        link_start = len(line2[:line2.index("[[")].encode("utf-8"))
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 2, "character": 30}})
        contents = (hover or {}).get("contents") or {}
        value = contents.get("value", "") if isinstance(contents, dict) else str(contents)
        check("hover after emoji, UTF-8 column: names Northwind",
              "Northwind" in value, json.dumps(hover)[:400])
        check("hover: Markdown, as Helix asked", isinstance(contents, dict)
              and contents.get("kind") == "markdown", contents.get("kind") if
              isinstance(contents, dict) else contents)
        rng = (hover or {}).get("range")
        check("hover range in UTF-8 bytes: starts at the link (byte %d)" % link_start,
              rng is None or rng["start"]["character"] in (link_start, link_start + 2),
              rng)

        # Completion at the end of "🚀 [[Rag": UTF-8 column 10.
        line3 = text.split("\n")[3]
        col = len(line3.encode("utf-8"))
        comp = client.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": 3, "character": col},
            "context": {"triggerKind": 1}})
        items = comp["items"] if isinstance(comp, dict) else (comp or [])
        labels = [i["label"] for i in items]
        check("completion after [[Rag offers Ragnar Eiriksson", "Ragnar Eiriksson" in labels,
              labels[:10])
        ragnar = next((i for i in items if i["label"] == "Ragnar Eiriksson"), None)
        edit = (ragnar or {}).get("textEdit") or {}
        erange = edit.get("range") or edit.get("replace") or edit.get("insert")
        after_brackets = len(line3[:line3.index("[[") + 2].encode("utf-8"))
        check("completion edit starts right after [[ (UTF-8 column %d)" % after_brackets,
              erange is not None and erange["start"] == {"line": 3, "character": after_brackets}
              and erange["end"]["character"] == col, edit)
        doc = None
        if ragnar is not None:
            doc = ragnar.get("documentation")
            print("info documentation %s" % ("inline" if doc else "on completionItem/resolve"))
            doc = doc or client.request("completionItem/resolve", ragnar).get("documentation")
        docv = doc.get("value", "") if isinstance(doc, dict) else (doc or "")
        check("completion documentation (inline or on resolve) previews the note",
              "VP of Cloud" in docv, doc)

        # ---- diagnostics of a closed note with duplicate facts ----
        ragnar_uri = uri_of(os.path.join(vault, "People", "Ragnar Eiriksson.md"))
        diags = client.diagnostics_for(ragnar_uri)
        codes = sorted({d.get("code") for d in diags})
        check("diagnostics: duplicate facts in People/Ragnar Eiriksson.md",
              {"duplicate-fact", "near-duplicate-fact", "subsumed-fact"} <= set(codes), codes)
        # The config (duplicates.threshold 0.9) took effect: the 85% pair is gone.
        near = [d["message"] for d in diags if d.get("code") == "near-duplicate-fact"]
        check("config: duplicates.threshold 0.9 drops the 85% near duplicate",
              near and not any("85%" in m for m in near), near)

        # ---- definition (Helix asks without linkSupport) ----
        defn = client.request("textDocument/definition", {
            "textDocument": {"uri": uri}, "position": {"line": 2, "character": 30}})
        locs = defn if isinstance(defn, list) else [defn]
        check("definition: Customers/Northwind.md (a Location: Helix has no linkSupport)",
              bool(locs) and locs[0] and locs[0].get("uri", "").endswith("/Customers/Northwind.md"),
              defn)

        # ---- a file created behind the editor's back, reported as Helix
        # would once the server registers a watcher ----
        regs = [r for r in client.server_requests if r["method"] == "client/registerCapability"]
        print("info server asked to register: %s" % (
            [x["method"] for r in regs for x in r["params"]["registrations"]] or "nothing"))
        newnote = os.path.join(vault, "People", "Quentin Fairweather.md")
        with open(newnote, "w", encoding="utf-8") as f:
            f.write("---\ntype: person\n---\n# Quentin Fairweather\n")
        client.notify("workspace/didChangeWatchedFiles",
                      {"changes": [{"uri": uri_of(newnote), "type": 1}]})
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 1},
            "contentChanges": [{"range": {"start": {"line": 3, "character": col},
                                          "end": {"line": 3, "character": col}},
                                "text": "\n[[Quen"}]})
        comp = client.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": 4, "character": 6},
            "context": {"triggerKind": 1}})
        items = comp["items"] if isinstance(comp, dict) else (comp or [])
        labels = [i["label"] for i in items]
        check("didChangeWatchedFiles: a new note completes", "Quentin Fairweather" in labels,
              labels[:10])

        # ---- shutdown and exit ----
        code = stop(client)
        check("exit status 0 after shutdown/exit", code == 0, code)

        # ---- a client without completion resolve gets documentation inline ----
        older = json.loads(json.dumps(HELIX_CAPABILITIES))
        del older["textDocument"]["completion"]["completionItem"]["resolveSupport"]
        client, _ = start(binary, log_path, vault, config, older)
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 0, "text": text}})
        comp = client.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": 3, "character": col},
            "context": {"triggerKind": 1}})
        items = comp["items"] if isinstance(comp, dict) else (comp or [])
        ragnar = next((i for i in items if i["label"] == "Ragnar Eiriksson"), {})
        doc = ragnar.get("documentation")
        docv = doc.get("value", "") if isinstance(doc, dict) else (doc or "")
        check("without resolveSupport: documentation inline", "VP of Cloud" in docv, ragnar)
        code = stop(client)
        check("second session: exit status 0", code == 0, code)
        with open(log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        problems = [l for l in log.splitlines() if "configuration" in l and "WARN" in l.upper()]
        check("the server took every key of the config without a warning", not problems,
              problems)
        errors = [l for l in log.splitlines() if " error " in l]
        check("the server logged no error", not errors, errors)
    except Failure as e:
        failed += 1
        print("FAIL %s" % e)
        print("     notifications: %s" % [n["method"] for n in client.notifications][-20:])
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
        if failed:
            print("server stderr (last lines):\n" + "".join(client.stderr[-30:]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
