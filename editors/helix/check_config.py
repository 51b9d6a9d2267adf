#!/usr/bin/env python3
"""Checks editors/helix/languages.toml against the server it configures.

usage: check_config.py LANGUAGES_TOML README_MD VAULT_LSP OUT_CONFIG_JSON

- it parses as TOML (tomllib, Python 3.11+);
- the server's command is the built binary's name, and every argument in
  `args` is one `vault-lsp --help` lists;
- every key under `config.vault-lsp` is a key of the configuration table
  in the main README (a dotted key there, `duplicates.threshold`, is a
  nested table here), with a value of the type the table gives;
- markdown uses it, with .obsidian as a root.
Writes the `config` table as JSON for test_protocol.py.
"""
import json
import os
import re
import subprocess
import sys
import tomllib


def readme_keys(readme):
    """key -> type column of the README's configuration table."""
    keys = {}
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        m = re.match(r"\|\s*`([A-Za-z.]+)`\s*\|([^|]*)\|", line)
        if m:
            keys[m.group(1)] = m.group(2).strip()
    return keys


def flatten(table, prefix=""):
    for k, v in table.items():
        if isinstance(v, dict) and prefix + k != "folders":
            yield from flatten(v, prefix + k + ".")
        else:
            yield prefix + k, v


def type_ok(type_text, value):
    t = type_text.lower()
    if t.startswith("map"):
        return isinstance(value, dict) and all(isinstance(x, str) for x in value.values())
    if t.startswith("list of strings") or t.startswith("list of globs"):
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    if t.startswith("string"):
        return isinstance(value, str)
    if t.startswith("number"):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1
    if t.startswith("boolean"):
        return isinstance(value, bool)
    return False


def main():
    toml_path, readme_path, binary, out_path = sys.argv[1:5]
    passed, failed = 0, 0

    def check(name, ok, saw=None):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   " + name)
        else:
            failed += 1
            print("FAIL %s\n     saw: %s" % (name, saw))

    try:
        with open(toml_path, "rb") as f:
            doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        print("FAIL languages.toml does not parse: %s" % e)
        print("0 passed, 1 failed")
        return 1
    check("languages.toml parses as TOML", True)

    server = doc.get("language-server", {}).get("vault-lsp", {})
    check("[language-server.vault-lsp] command is the binary, %s" % os.path.basename(binary),
          server.get("command") == os.path.basename(binary), server.get("command"))
    helptext = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    options = set(re.findall(r"--[a-z-]+", helptext))
    args = [a for a in server.get("args", []) if a.startswith("--")]
    check("args are options of vault-lsp --help", set(args) <= options, (args, sorted(options)))
    check("timeout is a number of seconds", isinstance(server.get("timeout", 20), int),
          server.get("timeout"))
    # Helix 25.01 ignores an unknown key here (a typo is silently lost),
    # so check against the keys it reads for a language server.
    helix_keys = {"command", "args", "config", "timeout", "environment",
                  "required-root-patterns"}
    check("[language-server.vault-lsp] has only keys Helix reads",
          set(server) <= helix_keys, sorted(set(server) - helix_keys))

    with open(readme_path, encoding="utf-8") as f:
        keys = readme_keys(f.read())
    check("the README's configuration table was found", len(keys) >= 5, keys)
    config = server.get("config", {})
    section = config.get("vault-lsp")
    check("settings sit under config.vault-lsp (the workspace/configuration section)",
          isinstance(section, dict), config)
    for key, value in flatten(section or {}):
        check("config key %s is in the README's table" % key, key in keys, sorted(keys))
        if key in keys:
            check("config key %s is a %s" % (key, keys[key]), type_ok(keys[key], value), value)

    langs = [l for l in doc.get("language", []) if l.get("name") == "markdown"]
    lang = langs[0] if langs else {}
    servers = [s if isinstance(s, str) else s.get("name") for s in lang.get("language-servers", [])]
    check("[[language]] markdown uses vault-lsp", "vault-lsp" in servers, lang)
    check("markdown roots include .obsidian", ".obsidian" in lang.get("roots", []), lang.get("roots"))

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(config, f)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
