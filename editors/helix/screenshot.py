#!/usr/bin/env python3
"""Renders a terminal screen captured with colours (`tmux capture-pane -e
-p -N`) as a PNG, with Debian's chromium in headless mode.

usage: screenshot.py SCREEN.ansi OUT.png [COLUMNS ROWS]

ansi2html.py makes the page; chromium, with a fresh profile, no network
and a timeout, takes its picture at the size of the screen. Fonts are
drawn as a terminal draws them, hinted and without anti-aliasing (a
fontconfig file of our own, with the system's fonts): crisp text in few
colours, so that the PNG of a 100x30 screen stays near 20 KB.
Exit 1, with chromium's output, when it fails.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ansi2html  # noqa: E402

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="font">
    <edit name="antialias" mode="assign"><bool>false</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintfull</const></edit>
  </match>
</fontconfig>
"""


def main():
    src, out = sys.argv[1], os.path.abspath(sys.argv[2])
    columns = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    with open(src, encoding="utf-8", errors="replace") as f:
        page = ansi2html.page(f.read(), columns, rows)
    tmp = tempfile.mkdtemp(prefix="vault-lsp-shot-")
    try:
        html = os.path.join(tmp, "screen.html")
        with open(html, "w", encoding="utf-8") as f:
            f.write(page)
        with open(os.path.join(tmp, "fonts.conf"), "w") as f:
            f.write(FONTCONFIG)
        env = dict(os.environ, FONTCONFIG_FILE=os.path.join(tmp, "fonts.conf"),
                   HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_CACHE_HOME=tmp)
        width, height = ansi2html.size(columns, rows)
        argv = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + os.path.join(tmp, "profile"),
                "--window-size=%d,%d" % (width, height), "--screenshot=" + out,
                "file://" + html]
        if os.path.exists(out):
            os.unlink(out)
        r = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
        made = os.path.exists(out) and os.path.getsize(out) > 0
        if r.returncode != 0 or not made:
            sys.stderr.write(r.stdout + r.stderr)
            print("screenshot.py: chromium made no %s (exit %d)" % (out, r.returncode))
            return 1
        print("%s: %d x %d, %d KB" % (out, width, height, (os.path.getsize(out) + 1023) // 1024))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
