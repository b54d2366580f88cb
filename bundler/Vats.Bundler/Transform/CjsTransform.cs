using Vats.Bundler.Parsing;

namespace Vats.Bundler.Transform;

/// <summary>
/// Wraps a CommonJS module as a functor and finds its static <c>require</c> specifiers and named exports in its
/// tree (see <see cref="CjsExportsWalker"/>).
/// </summary>
internal static class CjsTransform
{
    /// <summary>Parses and wraps a module; syntax errors are thrown as <see cref="BundleException"/>.</summary>
    public static CjsRecord Transform(string source, string file)
    {
        try
        {
            return Transform(JsParser.CommonJs(source, file));
        }
        catch (JsSyntaxException e)
        {
            throw e.Error;
        }
    }

    public static CjsRecord Transform(ParsedSource parsed)
    {
        var edits = new SourceEdits(parsed.Text);
        var walker = new CjsExportsWalker(parsed, edits);
        walker.Walk();
        Censor.Defang(parsed, edits);
        string functor = "(function (require, exports, module, __filename, __dirname) { 'use strict'; " + edits.Apply() + " //*/\n})\n";
        return new CjsRecord
        {
            Functor = functor,
            Imports = walker.Imports,
            Exports = walker.Exports.ToList(),
            Reexports = walker.Reexports,
        };
    }
}
