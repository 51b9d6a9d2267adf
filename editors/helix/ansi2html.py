#!/usr/bin/env python3
"""Turns a terminal screen captured with colours (`tmux capture-pane -e -p`)
into an HTML page that looks like the terminal: a monospace font on a dark
background, one row per line, each cell in its SGR colours.

usage: ansi2html.py SCREEN.ansi PAGE.html [COLUMNS ROWS]

Understands what tmux writes: SGR 0/1/2/3/4/7/9 and their resets
(22/23/24/27/29), underline styles (4:3 curly) and colours (58, 59), the
8 and 16 colours (30-37, 90-97, 40-47, 100-107), 256 colours (38;5;N /
48;5;N) and truecolor (38;2;R;G;B / 48;2;R;G;B, and the colon forms),
default colours (39/49). Other escape sequences are dropped. Wide
characters take two cells. The page is sized to COLUMNS x ROWS cells
(default: the longest line, the line count) so that a headless
browser's screenshot of it is the screen.
"""
import html
import re
import sys
import unicodedata

CELL_W = 8     # px: DejaVu Sans Mono at 14px, hinted (screenshot.py's fontconfig)
CELL_H = 17    # px: line height
PAD = 6        # px around the screen
FG = "#d0d0d0"
BG = "#1e1e2a"

# xterm's 16 colours.
BASE16 = [
    "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
    "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
]


def color256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (v, v, v)


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = self.ul_color = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = self.strike = False

    def apply(self, params):
        """One SGR sequence's parameters: `;`-separated, each maybe with
        `:` sub-parameters (4:3 curly underline, 38:2::R:G:B)."""
        groups = [[int(x) if x.isdigit() else None for x in g.split(":")]
                  for g in (params or "0").split(";")]
        i = 0
        while i < len(groups):
            g = groups[i]
            c = g[0] or 0
            if c in (38, 48, 58):
                if len(g) > 1:  # the colon form carries its colour with it
                    sub = [x for x in g[1:]]
                    if sub[0] == 5 and len(sub) > 1:
                        color = color256((sub[1] or 0) % 256)
                    elif sub[0] == 2 and len(sub) >= 4:
                        rgb = sub[-3:]
                        color = "#%02x%02x%02x" % tuple(min(v or 0, 255) for v in rgb)
                    else:
                        color = None
                else:
                    rest = [x[0] or 0 for x in groups[i + 1:]]
                    color = None
                    if len(rest) >= 2 and rest[0] == 5:
                        color = color256(rest[1] % 256)
                        i += 2
                    elif len(rest) >= 4 and rest[0] == 2:
                        color = "#%02x%02x%02x" % tuple(min(v, 255) for v in rest[1:4])
                        i += 4
                if c == 38:
                    self.fg = color
                elif c == 48:
                    self.bg = color
                else:
                    self.ul_color = color
            elif c == 4:
                style = g[1] if len(g) > 1 else 1
                self.underline = {0: False, 3: "wavy", 4: "dotted", 5: "dashed",
                                  2: "double"}.get(style, "solid")
            else:
                self.simple(c)
            i += 1

    def simple(self, c):
        if c == 0:
            self.reset()
        elif c == 1:
            self.bold = True
        elif c == 2:
            self.dim = True
        elif c == 3:
            self.italic = True
        elif c == 21:
            self.underline = "double"
        elif c == 7:
            self.reverse = True
        elif c == 9:
            self.strike = True
        elif c == 22:
            self.bold = self.dim = False
        elif c == 23:
            self.italic = False
        elif c == 24:
            self.underline = False
        elif c == 27:
            self.reverse = False
        elif c == 29:
            self.strike = False
        elif 30 <= c <= 37:
            self.fg = BASE16[c - 30]
        elif 90 <= c <= 97:
            self.fg = BASE16[c - 90 + 8]
        elif 40 <= c <= 47:
            self.bg = BASE16[c - 40]
        elif 100 <= c <= 107:
            self.bg = BASE16[c - 100 + 8]
        elif c == 39:
            self.fg = None
        elif c == 49:
            self.bg = None
        elif c == 59:
            self.ul_color = None

    def css(self):
        fg, bg = self.fg or FG, self.bg
        if self.reverse:
            fg, bg = bg or BG, fg
        rules = ["color:" + fg]
        if bg:
            rules.append("background:" + bg)
        if self.bold:
            rules.append("font-weight:bold")
        if self.dim:
            rules.append("opacity:.6")
        if self.italic:
            rules.append("font-style:italic")
        deco = [d for d, on in (("underline", self.underline), ("line-through", self.strike)) if on]
        if deco:
            rules.append("text-decoration:" + " ".join(deco))
            if self.underline:
                rules.append("text-decoration-style:" + self.underline)
                if self.ul_color:
                    rules.append("text-decoration-color:" + self.ul_color)
        return ";".join(rules)


ESCAPE = re.compile(r"\x1b\[([0-9;:]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b.")


def cells(text):
    """Escaped text, each wide character (CJK, emoji: two cells in the
    terminal) in a box two cells wide, so that the columns stay aligned."""
    out = []
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            out.append('<span class="w">%s</span>' % html.escape(ch))
        else:
            out.append(html.escape(ch))
    return "".join(out)


def line_html(line, style):
    """One screen line as HTML spans; style carries over between lines."""
    out, text = [], []
    current = None

    def flush():
        if text:
            out.append('<span style="%s">%s</span>' % (current, cells("".join(text))))
            text.clear()

    pos = 0
    for m in ESCAPE.finditer(line):
        chunk = line[pos:m.start()]
        if chunk:
            css = style.css()
            if css != current:
                flush()
                current = css
            text.append(chunk)
        if m.group(2) == "m":
            style.apply(m.group(1).replace(":", ";"))
        pos = m.end()
    chunk = line[pos:]
    if chunk:
        css = style.css()
        if css != current:
            flush()
            current = css
        text.append(chunk)
    flush()
    return "".join(out)


def page(screen, columns=None, rows=None):
    lines = screen.rstrip("\n").split("\n")
    plain = [ESCAPE.sub("", l) for l in lines]
    columns = columns or max((len(l) for l in plain), default=80)
    rows = rows or len(lines)
    style = Style()
    body = "\n".join('<div class="r">%s</div>' % (line_html(l, style) or " ") for l in lines)
    width, height = size(columns, rows)
    return """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: %s; }
body { width: %dpx; height: %dpx; padding: %dpx; box-sizing: border-box; overflow: hidden; }
.r { white-space: pre; height: %dpx; line-height: %dpx; color: %s;
     font: 14px/%dpx "DejaVu Sans Mono", "Liberation Mono", monospace, "Noto Color Emoji"; }
.r span { display: inline-block; height: %dpx; vertical-align: top; }
.r span.w { width: %.1fpx; text-align: center; overflow: hidden; }
</style></head><body>
%s
</body></html>
""" % (BG, width, height, PAD, CELL_H, CELL_H, FG, CELL_H, CELL_H, 2 * CELL_W, body)


def size(columns, rows):
    """The browser window, in px, that shows COLUMNS x ROWS cells."""
    return int(columns * CELL_W + 2 * PAD + 1), rows * CELL_H + 2 * PAD


def main():
    src, dst = sys.argv[1:3]
    columns = int(sys.argv[3]) if len(sys.argv) > 3 else None
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else None
    with open(src, encoding="utf-8", errors="replace") as f:
        screen = f.read()
    with open(dst, "w", encoding="utf-8") as f:
        f.write(page(screen, columns, rows))


if __name__ == "__main__":
    main()
