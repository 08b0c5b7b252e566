/**
 * A strict little XML well-formedness check (no parser dependency): one root, balanced and
 * properly nested tags, quoted attributes, no duplicate attributes, only known entities.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  let s = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  s = s.replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const checkText = (t: string) => {
    if (/[<>]/.test(t)) problems.push(`stray markup in text: ${JSON.stringify(t.slice(0, 40))}`);
    for (const e of t.match(/&[^;\s]*;?/g) ?? []) if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(e)) problems.push(`bad entity ${e}`);
  };
  while ((m = tag.exec(s))) {
    checkText(s.slice(last, m.index));
    last = tag.lastIndex;
    const [, close, name, attrs, selfClose] = m;
    const names = [...attrs!.matchAll(/([\w:.-]+)\s*=/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) problems.push(`duplicate attribute in <${name}>`);
    for (const v of attrs!.matchAll(/=\s*"([^"]*)"/g)) checkText(v[1]!);
    if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  checkText(s.slice(last).trim());
  if (stack.length) problems.push(`unclosed: ${stack.join(", ")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
