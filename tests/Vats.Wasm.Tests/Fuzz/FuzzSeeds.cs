using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Tests.Fuzz;

/// <summary>
/// Valid modules to mutate: small hand-written ones covering every section and the 2.0 feature set,
/// the plain modules of a few spec scripts (converted at test time), and the QuickJS build.
/// </summary>
internal static class FuzzSeeds
{
    /// <summary>Spec scripts whose valid modules become seeds: binary edge cases, segments, tables, control flow.</summary>
    public static readonly string[] SpecScripts =
    [
        "binary-leb128", "br_table", "bulk", "call_indirect", "conversions", "custom", "data", "elem", "global",
        "imports", "memory_copy", "ref_func", "select", "start", "table_init",
    ];

    /// <summary>Hand-written modules: imports of every kind, control flow, memory and bulk ops, references.</summary>
    public static readonly (string Name, string Wat)[] Wats =
    [
        ("imports-and-start", """
            (module
              (type $unary (func (param i32) (result i32)))
              (import "env" "f" (func $f (type $unary)))
              (import "env" "mem" (memory 1 2))
              (import "env" "tab" (table 2 funcref))
              (import "env" "g" (global $g i32))
              (import "env" "gm" (global $gm (mut i64)))
              (global $h (mut i32) (i32.const 7))
              (global $k i64 (i64.const -1))
              (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
              (func $start
                (global.set $h (call $f (global.get $g)))
                (global.set $gm (i64.add (global.get $gm) (global.get $k)))
                (i32.store (i32.const 8) (call_indirect (type $unary) (i32.const 3) (i32.const 0))))
              (start $start)
              (elem (i32.const 0) $square $f)
              (data (i32.const 16) "hello, world")
              (export "square" (func $square))
              (export "h" (global $h))
              (export "mem" (memory 0)))
            """),
        ("control-flow", """
            (module
              (type $binary (func (param i32 i32) (result i32)))
              (table 4 funcref)
              (elem (i32.const 0) $add $sub)
              (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
              (func $sub (type $binary) (i32.sub (local.get 0) (local.get 1)))
              (func $fac (export "fac") (param i64) (result i64)
                (if (result i64) (i64.le_s (local.get 0) (i64.const 1))
                  (then (i64.const 1))
                  (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
              (func (export "switch") (param i32) (result i32)
                (block $d (block $c (block $b (block $a
                  (br_table $a $b $c $d (local.get 0)))
                  (return (i32.const 10)))
                  (return (i32.const 20)))
                  (return (i32.const 30)))
                (i32.const 40))
              (func (export "sum") (param i32) (result i32) (local i32)
                (block $done
                  (loop $next
                    (br_if $done (i32.le_s (local.get 0) (i32.const 0)))
                    (local.set 1 (i32.add (local.get 1) (local.get 0)))
                    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                    (br $next)))
                (local.get 1))
              (func (export "dispatch") (param i32 i32 i32) (result i32)
                (call_indirect (type $binary) (local.get 1) (local.get 2) (local.get 0)))
              (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
              (func (export "multi") (result i32)
                (block (result i32 i32) (i32.const 1) (i32.const 2))
                (i32.add))
              (func (export "select") (param i32) (result f64)
                (select (f64.const 1.5) (f64.const -0.0) (local.get 0)))
              (func (export "trap") (unreachable))
              (func $start (drop (call $fac (i64.const 10))))
              (start $start))
            """),
        ("memory-and-numbers", """
            (module
              (memory 1 4)
              (data $passive "passive bytes")
              (data (i32.const 100) "\01\02\03\04\05\06\07\08")
              (func (export "bulk") (param i32) (result i32)
                (memory.init $passive (i32.const 200) (i32.const 0) (i32.const 13))
                (memory.copy (i32.const 300) (i32.const 100) (i32.const 8))
                (memory.fill (i32.const 400) (i32.const 0xAB) (local.get 0))
                (data.drop $passive)
                (i32.load8_u (i32.const 303)))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size))
              (func (export "loads") (param i32) (result i64)
                (i64.add
                  (i64.load offset=4 align=4 (local.get 0))
                  (i64.extend_i32_s (i32.load16_s offset=1 (local.get 0)))))
              (func (export "floats") (param f64 f32) (result f64)
                (f64.add
                  (f64.sqrt (f64.abs (local.get 0)))
                  (f64.promote_f32 (f32.nearest (local.get 1)))))
              (func (export "convert") (param f64) (result i64)
                (i64.add
                  (i64.trunc_sat_f64_s (local.get 0))
                  (i64.extend32_s (i64.trunc_sat_f64_u (local.get 0)))))
              (func (export "bits") (param i32 i64) (result i32)
                (i32.add
                  (i32.extend8_s (i32.rotl (local.get 0) (i32.const 5)))
                  (i32.wrap_i64 (i64.popcnt (i64.clz (local.get 1))))))
              (func (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "reinterpret") (param f32) (result i32)
                (i32.reinterpret_f32 (f32.div (local.get 0) (f32.const 0)))))
            """),
        ("references", """
            (module
              (type $void (func))
              (table $funcs 3 10 funcref)
              (table $externs 2 externref)
              (elem $passive funcref (ref.func $a) (ref.null func) (ref.func $b))
              (elem declare func $c)
              (elem (table $funcs) (i32.const 0) func $a $b)
              (func $a)
              (func $b)
              (func $c)
              (func (export "init") (result i32)
                (table.init $funcs $passive (i32.const 0) (i32.const 0) (i32.const 3))
                (elem.drop $passive)
                (table.copy $funcs $funcs (i32.const 1) (i32.const 0) (i32.const 2))
                (table.fill $funcs (i32.const 2) (ref.func $c) (i32.const 1))
                (drop (table.grow $funcs (ref.null func) (i32.const 2)))
                (call_indirect $funcs (type $void) (i32.const 0))
                (table.size $funcs))
              (func (export "externs") (param externref) (result i32)
                (table.set $externs (i32.const 1) (local.get 0))
                (ref.is_null (table.get $externs (i32.const 1))))
              (func (export "typed-select") (param i32) (result funcref)
                (select (result funcref) (ref.func $a) (ref.null func) (local.get 0))))
            """),
        ("globals-and-names", """
            (module $named
              (import "spectest" "global_i32" (global $imported i32))
              (global $a (mut f32) (f32.const 3.5))
              (global $b f64 (f64.const -0x1p-1074))
              (global $c i32 (global.get $imported))
              (global $d funcref (ref.func $get))
              (func $get (export "get") (result i32) (local $x i32) (local $y i64)
                (local.set $x (global.get $c))
                (local.set $y (i64.extend_i32_u (local.get $x)))
                (global.set $a (f32.demote_f64 (global.get $b)))
                (i32.wrap_i64 (local.get $y)))
              (export "a" (global $a)))
            """),
    ];

    /// <summary>The hand-written seeds, assembled with wat2wasm (with a name section).</summary>
    public static List<(string Name, byte[] Bytes)> Small()
    {
        var seeds = new List<(string, byte[])>();
        foreach (var (name, wat) in Wats) seeds.Add((name, Wabt.Wat2Wasm(wat)));
        foreach (var script in SpecScripts)
        {
            var modules = Wabt.ValidModulesOf(Path.Combine(RepoPaths.WasmSpecDirectory, script + ".wast"));
            if (modules.Count == 0) throw new InvalidOperationException($"spec script {script}.wast has no valid module to use as a seed");
            for (var i = 0; i < modules.Count; i++) seeds.Add(($"{script}.{i}", modules[i]));
        }
        return seeds;
    }
}
