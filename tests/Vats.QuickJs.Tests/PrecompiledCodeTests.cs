using System.Reflection.PortableExecutable;
using Vats.QuickJs.Native;
using Vats.Wasm;

namespace Vats.QuickJs.Tests;

/// <summary>
/// The build ships the pinned QuickJS module as ahead-of-time code (Vats.QuickJs.Compiled.dll, made by
/// Vats.Wasm.Precompiler and crossgen2), and the compiled engine uses it.
/// </summary>
public sealed class PrecompiledCodeTests
{
    [Test]
    public void TheCompiledEngineRegistersTheShippedReadyToRunCodeOfThePinnedModule()
    {
        using (var engine = QuickJsEngine.Create(new EngineOptions { Print = _ => { }, WasmEngine = ExecutionEngineKind.Compiler }))
            Assert.That(engine.Evaluate("[1, 2, 3].map(x => x * 2).join()").Json, Is.EqualTo("\"2,4,6\""));

        var assembly = PrecompiledModules.RegisteredFor(QuickJsBinary.Module);
        Assert.That(assembly, Is.Not.Null, $"{PrecompiledQuickJs.FileName} was not found next to Vats.QuickJs.dll or did not fit this build");
        Assert.That(assembly, Is.SameAs(PrecompiledQuickJs.Assembly));
        Assert.That(Path.GetFileName(assembly!.Location), Is.EqualTo(PrecompiledQuickJs.FileName));
        Assert.That(assembly.GetName().Name, Is.EqualTo("Vats.Wasm.Compiled." + QuickJsBinary.Sha256));

        // Machine code, not just IL: crossgen2 wrote a ReadyToRun header.
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        Assert.That(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size, Is.GreaterThan(0), "the shipped assembly has no ReadyToRun code");
    }
}
