using Vats.Bundler.Transform;

namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class TransformTests
{
    [Test]
    public void ReassignedExportsNotifyAfterEachAssignment()
    {
        var record = EsmTransform.Transform("export let n = 0;\nexport function inc() { n += 1; n++; ++n; }\n", "m.js");
        Assert.That(record.Functor, Does.Contain("$h\u034F_set.n=n += 1"));
        Assert.That(record.Functor, Does.Contain("($h\u034F_set.n=n++)"));
        Assert.That(record.Functor, Does.Contain("($h\u034F_set.n=++n)"));
        Assert.That(record.LiveExports, Is.EquivalentTo(new Dictionary<string, string> { ["n"] = "n", ["inc"] = "inc" }));
    }

    [Test]
    public void ClassFieldsNamedLikeExportsAreLeftAlone()
    {
        var record = EsmTransform.Transform("export let x = 1;\nexport class C { x = 2; set(v) { x = v; } }\n", "m.js");
        Assert.That(record.Functor, Does.Contain("{ x = 2;"));
        Assert.That(record.Functor, Does.Contain("$h\u034F_set.x=x = v"));
    }

    [Test]
    public void RecordsEveryExportForm()
    {
        const string source = """
            import d, { a as b } from './a.js';
            import * as ns from './ns.js';
            export * from './star.js';
            export * as starNs from './star2.js';
            export { x as y, default as z } from './re.js';
            export { b as c, ns };
            export const k = 1;
            export default function () {}
            """;
        var record = EsmTransform.Transform(source, "m.js");
        Assert.That(record.Imports, Is.EqualTo(new[] { "./a.js", "./ns.js", "./star.js", "./star2.js", "./re.js" }));
        Assert.That(record.StarExports, Is.EqualTo(new[] { "./star.js" }));
        Assert.That(record.LiveExports.Keys, Is.EqualTo(new[] { "default", "k" }));
        Assert.That(record.ReexportMap["./star2.js"], Is.EqualTo(new[] { ("*", "starNs") }));
        Assert.That(record.ReexportMap["./re.js"], Is.EqualTo(new[] { ("x", "y"), ("default", "z") }));
        Assert.That(record.ReexportMap["./a.js"], Is.EqualTo(new[] { ("a", "c") }));
        Assert.That(record.ReexportMap["./ns.js"], Is.EqualTo(new[] { ("*", "ns") }));
        Assert.That(record.ExportNames, Is.EqualTo(new[] { "c", "default", "k", "ns", "starNs", "y", "z" }));
    }

    [Test]
    public void OutputPassesTheSesCensor()
    {
        const string source = """
            // import('x') <!-- --> eval(y)
            export const s = ['import(1)', "eval (2)", `<!--${'-->'}`, /import\s*(x)/.source];
            export const o = { import() { return 1; }, eval() { return 2; } };
            let i = 3;
            export const t = i-->1;
            export const r = eval('1');
            """;
        var record = EsmTransform.Transform(source, "m.js");
        Assert.That(Censor.FirstRejected(record.Functor), Is.Null, record.Functor);
        Assert.That(record.Functor, Does.Contain("(0,eval)('1')"));
        Assert.That(record.Functor, Does.Contain("[\"import\"]()"));
    }

    [Test]
    public void ImportMetaBecomesAnObject()
    {
        var record = EsmTransform.Transform("export const m = import.meta;\n", "m.js");
        Assert.That(record.NeedsImportMeta, Is.True);
        Assert.That(record.Functor, Does.Not.Contain("import.meta"));
    }

    [Test]
    public void CommonJsExportsAreFoundStatically()
    {
        var record = CjsTransform.Transform("const u = require('./u.js');\nexports.a = 1;\nmodule.exports.b = 2;\nObject.defineProperty(exports, 'c', {});\n", "c.js");
        Assert.That(record.Imports, Is.EqualTo(new[] { "./u.js" }));
        Assert.That(record.Exports, Is.EqualTo(new[] { "a", "b", "c", "default" }));
    }
}
