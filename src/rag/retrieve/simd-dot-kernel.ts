/**
 * A hand-assembled WebAssembly SIMD kernel that scores every row of a float32 matrix against one
 * query (dot products, four lanes at a time). Plain JavaScript manages ~1 GFLOP/s on this loop —
 * 10–30 ms for 100k × 100-d on this machine — and the kernel brings it well under the 15 ms
 * hybrid budget. There is no WebAssembly toolchain in the dependencies, so the module is written
 * out byte by byte below (the WebAssembly text form is in the comments); `loadSimdDotKernel()`
 * returns undefined where SIMD is unavailable and callers fall back to JavaScript.
 *
 * (func $dots (param $m i32) (param $q i32) (param $out i32) (param $rows i32) (param $chunks i32)
 *   for each of $rows rows: two accumulators (so consecutive multiply-adds do not wait on each
 *   other) each sum f32x4.mul(load $m, load $q') over $chunks 8-float chunks;
 *   f32.store $out (sum of the lanes of acc0 + acc1); $out += 4)
 * Rows are padded to a multiple of 8 floats; $m, $q and $out are byte offsets into the memory.
 */

const I32 = 0x7f;
const V128 = 0x7b;

function leb128(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb128(content.length), ...content];
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
}

const localGet = (i: number): number[] => [0x20, i];
const localSet = (i: number): number[] => [0x21, i];
const localTee = (i: number): number[] => [0x22, i];
// Signed LEB128 in one byte: only right for 0 ≤ n < 64, which is all this kernel needs.
const i32Const = (n: number): number[] => [0x41, n];
const v128Load = [0xfd, 0x00, 0x02, 0x00]; // align 2^2, offset 0
const v128LoadPlus16 = [0xfd, 0x00, 0x02, 0x10]; // align 2^2, offset 16
const f32x4Mul = [0xfd, ...leb128(0xe6)];
const f32x4Add = [0xfd, ...leb128(0xe4)];
const f32x4Lane = (lane: number): number[] => [0xfd, 0x1f, lane];
const f32Add = [0x92];
const f32Store = [0x38, 0x02, 0x00];
const i32Add = [0x6a];
const i32Sub = [0x6b];
const i32Eqz = [0x45];
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const end = [0x0b];
const brIf = (depth: number): number[] => [0x0d, depth];

// Parameters 0..4: m, q, out, rows, chunks. Locals: 5 j (chunks left), 6 qp (query pointer),
// 7 acc, 8 acc1.
const [M, Q, OUT, ROWS, CHUNKS, J, QP, ACC, ACC1] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
const v128Zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

const body: number[] = [
  2, 2, I32, 2, V128, // local declarations: 2 × i32, 2 × v128
  ...block,
  ...localGet(ROWS), ...i32Eqz, ...brIf(0),
  ...loop,
  ...v128Zero, ...localSet(ACC),
  ...v128Zero, ...localSet(ACC1),
  ...localGet(CHUNKS), ...localSet(J),
  ...localGet(Q), ...localSet(QP),
  ...loop,
  ...localGet(ACC),
  ...localGet(M), ...v128Load,
  ...localGet(QP), ...v128Load,
  ...f32x4Mul, ...f32x4Add, ...localSet(ACC),
  ...localGet(ACC1),
  ...localGet(M), ...v128LoadPlus16,
  ...localGet(QP), ...v128LoadPlus16,
  ...f32x4Mul, ...f32x4Add, ...localSet(ACC1),
  ...localGet(M), ...i32Const(32), ...i32Add, ...localSet(M),
  ...localGet(QP), ...i32Const(32), ...i32Add, ...localSet(QP),
  ...localGet(J), ...i32Const(1), ...i32Sub, ...localTee(J), ...brIf(0),
  ...end,
  ...localGet(ACC), ...localGet(ACC1), ...f32x4Add, ...localSet(ACC),
  ...localGet(OUT),
  ...localGet(ACC), ...f32x4Lane(0),
  ...localGet(ACC), ...f32x4Lane(1), ...f32Add,
  ...localGet(ACC), ...f32x4Lane(2), ...f32Add,
  ...localGet(ACC), ...f32x4Lane(3), ...f32Add,
  ...f32Store,
  ...localGet(OUT), ...i32Const(4), ...i32Add, ...localSet(OUT),
  ...localGet(ROWS), ...i32Const(1), ...i32Sub, ...localTee(ROWS), ...brIf(0),
  ...end,
  ...end,
  ...end,
];

const moduleBytes = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type: (i32 × 5) → ()
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // import memory, min 1 page
  ...section(3, [1, 0]), // one function of type 0
  ...section(7, [1, ...name('dots'), 0x00, 0]), // export "dots"
  ...section(10, [1, ...leb128(body.length), ...body]),
]);

export type DotsFunction = (matrixOffset: number, queryOffset: number, outOffset: number, rows: number, chunks: number) => void;

/** The slice of WebAssembly.Memory we use (the project's TypeScript lib has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export interface SimdDotKernel {
  memory: WasmMemory;
  dots: DotsFunction;
}

let compiled: object | null | undefined;

/** A kernel bound to a fresh memory, or undefined where WebAssembly SIMD is not supported. */
export function loadSimdDotKernel(initialPages = 1): SimdDotKernel | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (compiled === undefined) compiled = wasm?.validate(moduleBytes) ? new wasm.Module(moduleBytes) : null;
  if (compiled === null || !wasm) return undefined;
  const memory = new wasm.Memory({ initial: Math.max(1, initialPages) });
  const instance = new wasm.Instance(compiled, { env: { memory } });
  return { memory, dots: instance.exports['dots'] as DotsFunction };
}
