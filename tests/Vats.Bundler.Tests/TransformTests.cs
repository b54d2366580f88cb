using Vats.Bundler.Transform;

namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class TransformTests
{
    private const string Assign = "$h\u034F_assign.";

    [Test]
    public void AssignmentsToExportsGoThroughAccessors()
    {
        var record = EsmTransform.Transform("export let n = 0;\nexport function inc() { n += 1; n++; ++n; n ||= 2; }\n", "m.js");
        Assert.That(record.Functor, Does.Contain($"{{ {Assign}n += 1; {Assign}n++; ++{Assign}n; {Assign}n ||= 2; }}"));
        Assert.That(record.Functor, Does.Contain("set n($h\u034F_v){n=$h\u034F_v;$h\u034F_live[\"n\"](n)}"));
        Assert.That(record.LiveExports, Is.EquivalentTo(new Dictionary<string, string> { ["n"] = "n", ["inc"] = "inc" }));
    }

    [Test]
    public void DestructuringAndLoopHeadsAssignThroughAccessors()
    {
        var record = EsmTransform.Transform(
            "export let a, b, c;\nexport function f(o) { ({ a, b = 7 } = o); [c, ...a] = o; for (b of o) {} for ({ k: c } in o) {} }\n", "m.js");
        Assert.That(record.Functor, Does.Contain($"({{ a:{Assign}a, b:{Assign}b = 7 }} = o)"));
        Assert.That(record.Functor, Does.Contain($"[{Assign}c, ...{Assign}a] = o"));
        Assert.That(record.Functor, Does.Contain($"for ({Assign}b of o)"));
        Assert.That(record.Functor, Does.Contain($"for ({{ k: {Assign}c }} in o)"));
    }

    [Test]
    public void TopLevelVarInitializersAssignThroughAccessors()
    {
        const string source = """
            export var v = 1, f = () => 2, plain;
            var { a, b = 7 } = o;
            for (var w of list) {}
            function local() { var v = 3; for (var w of list) {} }
            export { a, w };
            """;
        var record = EsmTransform.Transform(source, "m.js");
        Assert.That(record.Functor, Does.Contain($"var v = {Assign}v = 1, f = {Assign}f = {{f:() => 2}}.f, plain;"));
        Assert.That(record.Functor, Does.Contain($"var {{}} = ({{ a:{Assign}a, b = 7 }} = o);"));
        Assert.That(record.Functor, Does.Contain($"for ( {Assign}w of list) {{}}"));
        // The names the rewritten patterns no longer declare are declared before the body.
        Assert.That(record.Functor, Does.Contain("var a,b,w;"));
        Assert.That(record.Functor, Does.Contain("function local() { var v = 3; for (var w of list) {} }"));
    }

    [Test]
    public void LocalsThatShadowExportsAreLeftAlone()
    {
        const string source = """
            export let x = 1;
            export class C { x = 2; static m() { C = 0; } }
            export function f(x) { x = 1; { let x; x = 2; } try {} catch (x) { x = 3; } return (x) => { x++; }; }
            export const g = function x() { x = 4; };
            function h() { x = 5; }
            """;
        var record = EsmTransform.Transform(source, "m.js");
        Assert.That(record.Functor, Does.Contain("{ x = 2; static m() { C = 0; } }"));
        Assert.That(record.Functor, Does.Contain("{ x = 1; { let x; x = 2; } try {} catch (x) { x = 3; } return (x) => { x++; }; }"));
        Assert.That(record.Functor, Does.Contain("function x() { x = 4; }"));
        Assert.That(record.Functor, Does.Contain($"function h() {{ {Assign}x = 5; }}"));
    }

    [Test]
    public void ConstantsAndImportsAreNotRewritten()
    {
        var record = EsmTransform.Transform("import { i } from './i.js';\nexport const k = 1;\nexport { i };\nexport function f() { k = 2; i = 3; }\n", "m.js");
        Assert.That(record.Functor, Does.Contain("{ k = 2; i = 3; }"));
        Assert.That(record.Functor, Does.Not.Contain(Assign));
    }

    [Test]
    public void AssignedAnonymousFunctionsKeepTheirNames()
    {
        var record = EsmTransform.Transform("export let f, g;\nexport function set() { f = () => 1; [g = class {}] = []; }\n", "m.js");
        Assert.That(record.Functor, Does.Contain($"{Assign}f = {{f:() => 1}}.f;"));
        Assert.That(record.Functor, Does.Contain($"[{Assign}g = {{g:class {{}}}}.g] = []"));
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
    public void DefaultExpressionsKeepTheirParentheses()
    {
        var record = EsmTransform.Transform("export default ( /* c */ (a, b) );\n", "m.js");
        Assert.That(record.Functor, Does.Contain("const $h\u034F_default={default:( /* c */ (a, b) )}.default;;"));
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
    public void HashbangAndHtmlCommentsBecomeLineComments()
    {
        var esm = EsmTransform.Transform("#!/usr/bin/env node\nexport const a = 1;\n", "m.js");
        Assert.That(esm.Functor, Does.Contain("///usr/bin/env node\n"));
        var cjs = CjsTransform.Transform("#!/usr/bin/env node\nx = 1 <!-- old\n--> browsers\n", "c.js");
        Assert.That(cjs.Functor, Does.Contain("///usr/bin/env node\nx = 1 //   old\n//  browsers\n"));
        Assert.That(Censor.FirstRejected(cjs.Functor), Is.Null);
    }

    [Test]
    public void ImportMetaBecomesAnObject()
    {
        var record = EsmTransform.Transform("export const m = import.meta;\n", "m.js");
        Assert.That(record.NeedsImportMeta, Is.True);
        Assert.That(record.Functor, Does.Not.Contain("import.meta"));
    }

    [Test]
    public void ReservedPrefixIsRefused()
    {
        Assert.That(() => EsmTransform.Transform("export const a = 1;\nconst o = { $h\u034F_x: 1 };\n", "m.js"),
            Throws.TypeOf<BundleException>().With.Message.EqualTo("m.js:2:13: identifier uses the prefix reserved for bundle internals"));
        Assert.That(EsmTransform.Transform("export const s = '$h\u034F_x';\n", "m.js").Functor, Does.Contain("'$h\u034F_x'"));
    }

    [Test]
    public void CommonJsExportsAreFoundStatically()
    {
        var record = CjsTransform.Transform("const u = require('./u.js');\nexports.a = 1;\nmodule.exports.b = 2;\nObject.defineProperty(exports, 'c', {});\n", "c.js");
        Assert.That(record.Imports, Is.EqualTo(new[] { "./u.js" }));
        Assert.That(record.Exports, Is.EqualTo(new[] { "a", "b", "c", "default" }));
    }

    [Test]
    public void CommonJsReexportPatternsAreFound()
    {
        const string source = """
            var _m = _interopRequireWildcard(require('./m.js'));
            Object.keys(_m).forEach(function (key) { exports[key] = _m[key]; });
            tslib.__exportStar(require('./t.js'), exports);
            module.exports = { a, b: 1, 'c': 2, d() {}, get e() { return 1; }, ...rest };
            """;
        var record = CjsTransform.Transform(source, "c.js");
        Assert.That(record.Imports, Is.EqualTo(new[] { "./m.js", "./t.js" }));
        Assert.That(record.Reexports, Is.EqualTo(new[] { "./m.js", "./t.js" }));
        Assert.That(record.Exports, Is.EqualTo(new[] { "a", "b", "c", "d", "default" }));
    }
}
