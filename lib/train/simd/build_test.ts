import assert from "node:assert/strict";
import { buildKernels, findClang } from "./build.ts";

const clang = await findClang();

Deno.test({
  name: "kernels.wasm is exactly what kernels.c builds to",
  ignore: clang === null,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const here = (file: string) => new URL(file, import.meta.url).pathname;
      await buildKernels(here("kernels.c"), `${dir}/kernels.wasm`);
      const built = await Deno.readFile(`${dir}/kernels.wasm`);
      const committed = await Deno.readFile(here("kernels.wasm"));
      assert.deepEqual(
        built,
        committed,
        "rebuild with `deno task kernels` and commit kernels.wasm",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("kernels.wasm imports only a memory and exports only functions", async () => {
  const bytes = await Deno.readFile(new URL("./kernels.wasm", import.meta.url));
  const module = new WebAssembly.Module(bytes);
  assert.deepEqual(WebAssembly.Module.imports(module), [{
    module: "env",
    name: "memory",
    kind: "memory",
  }]);
  assert(WebAssembly.Module.exports(module).every((e) => e.kind === "function"));
});

Deno.test({
  name: "no kernel touches a global: none keeps a C stack in the memory",
  ignore: clang === null,
  async fn() {
    const { stdout, success } = await new Deno.Command("llvm-objdump", {
      args: ["-d", new URL("./kernels.wasm", import.meta.url).pathname],
      stdout: "piped",
    }).output();
    assert(success, "llvm-objdump failed");
    const text = new TextDecoder().decode(stdout);
    assert(text.includes("f32x4.mul"), "the disassembly shows the SIMD code");
    assert(!/global\.(get|set)/.test(text), "a kernel reads or writes a global (a stack pointer)");
  },
});
