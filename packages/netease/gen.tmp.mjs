// generate unrolled round code
const vars = ["a", "b", "c", "d", "e"];
const out = [];
for (let i = 0; i < 80; i++) {
  const r = (5 - (i % 5)) % 5;
  const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((j) => vars[(j + r) % 5]);
  const f =
    i < 20
      ? `((${b} & ${c}) | (~${b} & ${d}))`
      : i < 40 || i >= 60
        ? `(${b} ^ ${c} ^ ${d})`
        : `((${b} & ${c}) | (${b} & ${d}) | (${c} & ${d}))`;
  const k = i < 20 ? "0x5a827999" : i < 40 ? "0x6ed9eba1" : i < 60 ? "-0x70e44324" : "-0x359d3e2a";
  out.push(
    `${e} = (((${a} << 5) | (${a} >>> 27)) + ${f} + ${e} + ${k} + W[${i}]!) | 0; ${b} = (${b} << 30) | (${b} >>> 2);`,
  );
}
console.log(out.join("\n"));
