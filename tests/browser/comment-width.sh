#!/usr/bin/env bash
# The PR comment read at the width GitHub gives it (780 px): the demo's comment and a comment
# full of long artifact text, rendered with cmark-gfm (GitHub's Markdown) and
# github-markdown-css in headless Chromium. Fails when any element is wider than the comment
# (scrollWidth > clientWidth), i.e. when a reader would have to scroll sideways.
# Screenshots: target/browser/*.png. Installs what it needs itself under CI=true.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/browser
mkdir -p "$out"

if ! command -v chromium >/dev/null || ! command -v cmark-gfm >/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium cmark-gfm >/dev/null
  else
    echo "comment-width: needs chromium and cmark-gfm (apt-get install -y chromium cmark-gfm)" >&2
    exit 1
  fi
fi
css_dir="$out/css"
if [ ! -f "$css_dir/node_modules/github-markdown-css/github-markdown-light.css" ]; then
  mkdir -p "$css_dir"
  (cd "$css_dir" && npm install --silent --no-audit --no-fund github-markdown-css@5 >/dev/null)
fi
css="$(realpath "$css_dir/node_modules/github-markdown-css/github-markdown-light.css")"

cargo build -q --bin gate
gate=target/debug/gate
export GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/mailflow \
  GITHUB_SHA=4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f7a8b9c0d1e GITHUB_RUN_ID=42
"$gate" check --workspace examples/demo --format markdown -o "$out/demo.md" >/dev/null || true

# A comment whose artifacts carry long names, paths and messages.
long="$out/long-workspace"
rm -rf "$long" && mkdir -p "$long/reports"
{
  echo '<?xml version="1.0"?><testsuites><testsuite name="s" tests="3" failures="3">'
  echo '<testcase classname="c" name="AVeryLongTestNameWithoutAnySpacesThatGoesOnAndOnAndOnForeverAndEverAndEverUntilItIsFarWiderThanTheComment" file="src/some/deeply/nested/directory/structure/that/keeps/going/and/going/component.test.ts" line="12"><failure message="Error: expected https://example.com/a/very/long/url/that/has/no/spaces/at/all/and/keeps/going/on/and/on/forever to equal something">x</failure></testcase>'
  echo '<testcase classname="c" name="short" file="a.ts" line="1"><failure message="AssertionError: expected [1, 2, 3] to deeply equal [1, 2, 4] | with a pipe"/></testcase>'
  echo '<testcase classname="c" name="@team #123 &lt;img src=x&gt;" file="b.ts" line="2"><failure message="`code` ::error::x"/></testcase>'
  echo '</testsuite></testsuites>'
} > "$long/reports/junit.xml"
cat > "$long/readiness.gate" <<'POLICY'
policy "a policy with a rather long name to see how the heading wraps at 780 pixels" {
  target 90%
  evidence { tests = junit("reports/junit.xml") }
  category reliability weight 1 {
    gate "unit tests pass in every package of the monorepo including the slow ones" blocker {
      expect tests.failed + tests.errors == 0
    }
    gate "a file check with a long expression" {
      expect files("src/some/deeply/nested/directory/structure/**/*.generated.component.test.ts").count >= 3
    }
  }
}
POLICY
"$gate" check --workspace "$long" --format markdown -o "$out/long.md" >/dev/null || true

status=0
for name in demo long; do
  body="$(cmark-gfm --unsafe -e table -e autolink -e strikethrough -e tagfilter "$out/$name.md")"
  cat > "$out/$name.html" <<HTML
<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="file://$css">
<style>body{margin:0} .markdown-body{box-sizing:border-box;width:780px;padding:16px}</style>
</head><body><article class="markdown-body" id="comment">
$body
</article>
<script>
window.addEventListener('load', () => {
  const root = document.getElementById('comment');
  for (const d of root.querySelectorAll('details')) d.open = true;
  const wide = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      wide.push(el.tagName + ' ' + el.scrollWidth + '>' + el.clientWidth + ': ' + el.textContent.slice(0, 80));
    }
  }
  const r = document.createElement('pre');
  r.id = 'result';
  r.textContent = wide.length ? 'TOO-WIDE\n' + wide.join('\n') : 'FITS';
  document.body.appendChild(r);
});
</script></body></html>
HTML
  profile="$(mktemp -d)"
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --allow-file-access-from-files --user-data-dir="$profile" --virtual-time-budget=3000)
  dom="$(chromium "${flags[@]}" --dump-dom "file://$(realpath "$out/$name.html")" 2>/dev/null)"
  chromium "${flags[@]}" --window-size=812,4000 --screenshot="$out/$name.png" \
    "file://$(realpath "$out/$name.html")" >/dev/null 2>&1 || true
  rm -rf "$profile"
  result="$(printf '%s' "$dom" | sed -n '/<pre id="result">/,/<\/pre>/p')"
  if printf '%s' "$result" | grep -q 'FITS'; then
    echo "comment-width: $name fits 780 px (screenshot $out/$name.png)"
  else
    echo "comment-width: $name is wider than 780 px:" >&2
    printf '%s\n' "$result" >&2
    status=1
  fi
done
exit $status
