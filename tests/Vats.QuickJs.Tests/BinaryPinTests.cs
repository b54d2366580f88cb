using System.Text.RegularExpressions;
using Vats.QuickJs.Native;
using Vats.QuickJs.Tests.Support;

namespace Vats.QuickJs.Tests;

public sealed partial class BinaryPinTests
{
    [Test]
    public void ThePinnedModuleLoadsAndMatchesItsNameTables()
    {
        var module = QuickJsBinary.Module.Module;
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(module.Sha256), Is.EqualTo(QuickJsBinary.Sha256));
            Assert.That(module.Exports, Has.Count.EqualTo(ExportTable.Entries.Length));
        });
    }

    [Test]
    public void AnyOtherBinaryIsRefusedWithAClearError()
    {
        var bytes = File.ReadAllBytes(TestPaths.RequireInstalled(Path.Combine(Path.GetDirectoryName(TestPaths.GlueFile)!, "emscripten-module.wasm")));
        bytes[^1] ^= 0x55;
        var error = Assert.Throws<QuickJsBinaryException>(() => QuickJsBinary.Compile(bytes, "test.wasm"));
        Assert.That(error!.Message, Does.Contain("is not the pinned QuickJS build").And.Contain(QuickJsBinary.Sha256).And.Contain("npm ci"));
    }

    [Test]
    public void TheExportTableAgreesWithThePinnedGlueFile()
    {
        // The glue assigns every export as `c._QTS_Throw=b.w;` (or `c._malloc=b.v;`).
        var glue = File.ReadAllText(TestPaths.RequireInstalled(TestPaths.GlueFile));
        var fromGlue = GlueExport().Matches(glue).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.That(fromGlue, Has.Count.GreaterThanOrEqualTo(68));
        foreach (var (cName, wasmName) in fromGlue)
        {
            var entry = ExportTable.Entries.SingleOrDefault(e => e.CName == cName);
            Assert.That(entry, Is.Not.Null, $"the glue exports {cName}, the table does not");
            Assert.That(entry!.WasmName, Is.EqualTo(wasmName), cName);
        }
        Assert.That(glue, Does.Contain("Z.u()"), "the glue runs __wasm_call_ctors as export u");
    }

    [GeneratedRegex(@"c\._([A-Za-z_][A-Za-z0-9_]*)=b\.([A-Za-z_$]+);")]
    private static partial Regex GlueExport();
}
