namespace Vats.Wasm.SpecTests;

/// <summary>
/// The runner must be able to fail: a small script of our own with deliberately wrong expectations must yield
/// exactly the failures it plants.
/// </summary>
[TestFixture]
public sealed class RunnerSelfTests
{
    // Each command is on its own line; the comment says what the runner must make of it.
    private const string Script = """
        (module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
          (func (export "id") (param externref) (result externref) (local.get 0))
          (func $deep (export "deep") (call $deep))
          (func (export "pair") (result i32 i64) (i32.const 1) (i64.const -1)))
        (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
        (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
        (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
        (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow")
        (assert_trap (invoke "add" (i32.const 1) (i32.const 0)) "unreachable")
        (assert_return (invoke "nan") (f32.const nan:canonical))
        (assert_return (invoke "nan") (f32.const 0))
        (assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
        (assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))
        (assert_return (invoke "id" (ref.null extern)) (ref.null extern))
        (assert_return (invoke "pair") (i32.const 1) (i64.const -1))
        (assert_return (invoke "pair") (i32.const 1) (i64.const 1))
        (assert_exhaustion (invoke "deep") "call stack exhausted")
        (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
        (assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
        (assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
        (assert_malformed (module binary "\00asm\01\00\00\00") "unexpected end")
        (assert_malformed (module quote "(func") "unexpected end")
        (assert_unlinkable (module (import "spectest" "nothing" (func))) "unknown import")
        (assert_trap (module (func $start unreachable) (start $start)) "unreachable")
        (module $M (global (export "g") i32 (i32.const 7)))
        (assert_return (get $M "g") (i32.const 7))
        (register "m" $M)
        (module (import "m" "g" (global i32)) (import "spectest" "global_i32" (global i32))
          (func (export "sum") (result i32) (i32.add (global.get 0) (global.get 1))))
        (assert_return (invoke "sum") (i32.const 673))
        (module (import "spectest" "nothing" (func)) (func (export "sum") (result i32) (i32.const 673)))
        (assert_return (invoke "sum") (i32.const 673))
        """;

    private SpecFileResult _result = null!;

    [OneTimeSetUp]
    public void RunScript()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"vats-wasm-spec-selftest-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        var wast = Path.Combine(directory, "selftest.wast");
        File.WriteAllText(wast, Script);
        try
        {
            _result = SpecSuite.RunScript(wast, Path.Combine(directory, "out"), TimeSpan.FromSeconds(60));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void CountsPlantedFailures()
    {
        Assert.That(_result.SkipReason, Is.Null);
        Assert.That(_result.Failures.Select(f => (f.Line, f.Category)), Is.EqualTo(new[]
        {
            (9, "assert_return: wrong result"),
            (11, "assert_trap: wrong trap"),
            (12, "assert_trap: no trap"),
            (14, "assert_return: wrong result"),
            (16, "assert_return: wrong result"),
            (19, "assert_return: wrong result"),
            (22, "assert_invalid: accepted"),
            (24, "assert_malformed: accepted"),
            (34, "module: LinkException"),
            (35, "assert_return: module not loaded"),
        }), string.Join("\n", _result.Failures));
        Assert.Multiple(() =>
        {
            Assert.That(_result.Passed, Is.EqualTo(17));
            Assert.That(_result.Failed, Is.EqualTo(10));
            Assert.That(_result.Skipped, Is.EqualTo(1), "the text-format assert_malformed");
            Assert.That(_result.InvalidRejected, Is.EqualTo(1));
            Assert.That(_result.InvalidAccepted, Is.EqualTo(1));
            Assert.That(_result.MalformedRejected, Is.EqualTo(1));
            Assert.That(_result.MalformedAccepted, Is.EqualTo(1));
        });
    }

    [Test]
    public void FailureReasonsShowTheCallAndBothValues()
    {
        var wrongSum = _result.Failures.First(f => f.Line == 9).Reason;
        Assert.That(wrongSum, Does.Contain("add(i32:1, i32:2)").And.Contain("expected i32:4").And.Contain("got i32:3"));
        var wrongRef = _result.Failures.First(f => f.Line == 16).Reason;
        Assert.That(wrongRef, Does.Contain("expected externref:2").And.Contain("got externref:1"));
    }
}
