using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vats.QuickJs.Native;

namespace Vats.QuickJs;

/// <summary>How a source text is compiled by <see cref="SyntaxChecker.Check"/>.</summary>
public enum SourceKind
{
    /// <summary>An ES module (strict, <c>import</c>/<c>export</c> and top-level <c>await</c> allowed).</summary>
    Module,

    /// <summary>A classic script (sloppy unless it says <c>'use strict'</c>).</summary>
    Script,

    /// <summary>
    /// A CommonJS module: the body of a strict function of <c>require, exports, module, __filename, __dirname</c>, as
    /// bundles wrap it (so a top-level <c>return</c> is allowed).
    /// </summary>
    CommonJs,
}

/// <summary>A syntax error found by <see cref="SyntaxChecker.Check"/>, located in the checked text.</summary>
/// <param name="Name">The error's class: <c>SyntaxError</c>, or <c>InternalError</c> (e.g. out of memory).</param>
/// <param name="Message">QuickJS's message, e.g. <c>unexpected token in expression: ';'</c>.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column in UTF-16 code units, as JavaScript tools count them.</param>
public sealed record JsSyntaxError(string Name, string Message, int Line, int Column)
{
    /// <summary>"line:column: Name: message".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}: {Name}: {Message}");
}

/// <summary>
/// QuickJS's parser as a syntax oracle: compiles source texts without running them. One checker holds one bare
/// QuickJS context (no prelude, no globals beyond the parser's needs) and can check any number of texts; nothing
/// it compiles is ever evaluated, and nothing is loaded for <c>import</c> declarations. Single-threaded.
/// </summary>
public sealed partial class SyntaxChecker : IDisposable
{
    // JS_EVAL_TYPE_MODULE and JS_EVAL_FLAG_COMPILE_ONLY (quickjs.h).
    private const int EvalModule = 1;
    private const int EvalCompileOnly = 32;

    // Base objects, eval (JS_Eval needs the internal evaluator), the RegExp compiler (regular expression literals
    // are compiled while parsing).
    private const int ParserIntrinsics = 1 | 4 | 32;

    // QuickJS resolves a compiled module's imports at once; with no module loader that fails, and the failure path
    // frees the module (a compiled module value that is released instead stays registered in the context, and
    // releasing it can leave the context pointing at freed memory). So every module gets one more import, on a
    // line of its own after the text: resolution always fails, after the whole text compiled.
    private const string ModuleSuffix = "\nimport 'vats:syntax-check';";

    // Kept on one line so that CommonJS line numbers need no mapping and columns of line 1 a fixed shift.
    private const string CommonJsPrefix = "(function (require, exports, module, __filename, __dirname) { 'use strict'; ";
    private const string CommonJsSuffix = "\n})";

    private readonly QuickJsNative _native;
    private readonly int _rt;
    private readonly int _ctx;
    private readonly int _keyName;
    private readonly int _keyMessage;
    private readonly int _keyStack;
    private bool _disposed;

    private SyntaxChecker(long memoryLimitBytes, int maxStackSizeBytes)
    {
        var pages = new EngineOptions { MemoryLimitBytes = memoryLimitBytes }.MemoryLimitPages;
        _native = new QuickJsNative(QuickJsBinary.Module, pages, new NoHost());
        _native.CallCtors();
        _rt = _native.NewRuntime();
        _native.RuntimeSetMaxStackSize(_rt, maxStackSizeBytes);
        _ctx = _native.NewContext(_rt, ParserIntrinsics);
        _keyName = NewString("name");
        _keyMessage = NewString("message");
        _keyStack = NewString("stack");
    }

    /// <summary>
    /// Creates a checker. <paramref name="maxStackSizeBytes"/> bounds the parser's recursion: deeper nesting is
    /// reported as a <c>stack overflow</c> syntax error. The default allows about 16,000 levels of nested brackets and
    /// keeps QuickJS's own check ahead of the runtime's call-depth limit.
    /// </summary>
    public static SyntaxChecker Create(long memoryLimitBytes = 512L << 20, int maxStackSizeBytes = 1 << 20) =>
        new(memoryLimitBytes, maxStackSizeBytes);

    /// <summary>Size of the checker's wasm linear memory in bytes.</summary>
    public long MemoryBytes => _native.Memory.Length;

    /// <summary>
    /// Compiles <paramref name="source"/> as <paramref name="kind"/> without evaluating it. Returns null when it
    /// compiles, or the first error QuickJS reports with its line and column in <paramref name="source"/>.
    /// <paramref name="fileName"/> only names the text in QuickJS's backtrace. Throws
    /// <see cref="EngineFaultedException"/> if the wasm instance trapped (the checker is unusable afterwards).
    /// </summary>
    public JsSyntaxError? Check(string source, string fileName, SourceKind kind)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _native.ThrowIfFaulted();
        var codePointer = CopyIn(source, kind, out var length);
        var filePointer = _native.MallocCString(fileName);
        var flags = EvalCompileOnly | (kind == SourceKind.Module ? EvalModule : 0);
        var result = _native.Eval(_ctx, codePointer, length, filePointer, 0, flags);
        _native.Free(codePointer);
        _native.Free(filePointer);
        var error = _native.ResolveException(_ctx, result);
        if (error == 0)
        {
            // Not expected for a module (see ModuleSuffix); if it happens, leave the module to the context.
            if (kind == SourceKind.Module) _native.Free(result);
            else _native.FreeValue(_ctx, result);
            return null;
        }
        _native.FreeValue(_ctx, result);
        try
        {
            var message = ReadProperty(error, _keyMessage);
            var stack = ReadProperty(error, _keyStack);
            // Import resolution (which has no source position) only starts once the text compiled (see ModuleSuffix).
            if (kind == SourceKind.Module && stack.Length == 0 && message.StartsWith("could not load module '", StringComparison.Ordinal))
                return null;
            return Locate(ReadProperty(error, _keyName), message, stack, source, fileName, kind);
        }
        finally
        {
            _native.FreeValue(_ctx, error);
        }
    }

    /// <summary>Writes the text QuickJS compiles as NUL-terminated UTF-8 into the wasm heap (no intermediate copy).</summary>
    private int CopyIn(string source, SourceKind kind, out int length)
    {
        var commonJs = kind == SourceKind.CommonJs;
        // A hashbang line is only allowed at the very start of a text; inside the wrapper it becomes a comment.
        var hashbang = commonJs && source.StartsWith("#!", StringComparison.Ordinal);
        var body = hashbang ? source.AsSpan(2) : source.AsSpan();
        var suffix = commonJs ? CommonJsSuffix : kind == SourceKind.Module ? ModuleSuffix : "";
        length = Encoding.UTF8.GetByteCount(body) + (hashbang ? 2 : 0) + (commonJs ? CommonJsPrefix.Length : 0) + suffix.Length;
        var pointer = _native.Malloc(length + 1);
        if (pointer == 0) throw new OutOfMemoryException("QuickJS heap is full (malloc returned 0)");
        var target = _native.Memory.Slice(pointer, length + 1);
        var at = 0;
        if (commonJs) at += Encoding.ASCII.GetBytes(CommonJsPrefix, target);
        if (hashbang) at += Encoding.ASCII.GetBytes("//", target[at..]);
        at += Encoding.UTF8.GetBytes(body, target[at..]);
        at += Encoding.ASCII.GetBytes(suffix, target[at..]);
        target[at] = 0;
        return pointer;
    }

    /// <summary>Frees the QuickJS context and runtime.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_native.Fault is not null) return;
        try
        {
            _native.FreeValue(_ctx, _keyName);
            _native.FreeValue(_ctx, _keyMessage);
            _native.FreeValue(_ctx, _keyStack);
            _native.FreeContext(_ctx);
            _native.FreeRuntime(_rt);
        }
        catch (EngineFaultedException)
        {
            // The instance is dropped either way.
        }
    }

    private static JsSyntaxError Locate(string name, string message, string stack, string source, string fileName, SourceKind kind)
    {
        if (message.EndsWith(": ''", StringComparison.Ordinal)) message = "unexpected end of input";
        foreach (Match m in FramePattern().Matches(stack))
        {
            if (m.Groups["file"].Value != fileName) continue;
            var line = int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture);
            var column = int.Parse(m.Groups["column"].Value, CultureInfo.InvariantCulture);
            if (kind == SourceKind.CommonJs && line == 1) column = Math.Max(1, column - CommonJsPrefix.Length);
            var lastLine = 1;
            foreach (var ch in source) if (ch == '\n') lastLine++;
            // Past the text, in what the checker appended: the text ended in the middle of something.
            if (line > lastLine) return new JsSyntaxError(name, "unexpected end of input", lastLine, source.Length - source.LastIndexOf('\n'));
            return new JsSyntaxError(name, message, line, Utf16Column(source, line, column));
        }
        // Errors found after parsing (an exported local that does not exist) carry no position: point at the name.
        var unexported = UndeclaredExportPattern().Match(message);
        if (unexported.Success)
        {
            var exported = Regex.Escape(unexported.Groups["name"].Value);
            var use = Regex.Match(source, @"\bexport\s*\{[^}]*?(?<![\w$])(?<name>" + exported + @")(?![\w$])");
            if (use.Success)
            {
                var offset = use.Groups["name"].Index;
                var lineStart = source.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
                var lineNumber = 1;
                foreach (var ch in source.AsSpan(0, lineStart)) if (ch == '\n') lineNumber++;
                return new JsSyntaxError(name, message, lineNumber, offset - lineStart + 1);
            }
        }
        return new JsSyntaxError(name, message, 1, 1);
    }

    // QuickJS counts columns in code points; JavaScript tools count UTF-16 units.
    private static int Utf16Column(string text, int line, int codePointColumn)
    {
        var start = 0;
        for (var l = 1; l < line && start < text.Length; l++)
        {
            var next = text.IndexOf('\n', start);
            if (next < 0) return codePointColumn;
            start = next + 1;
        }
        var i = start;
        for (var c = 1; c < codePointColumn && i < text.Length && text[i] != '\n'; c++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return i - start + 1;
    }

    private string ReadProperty(int obj, int key)
    {
        var value = _native.GetProp(_ctx, obj, key);
        try
        {
            var pointer = _native.GetStringRaw(_ctx, value);
            if (pointer == 0) return "";
            var text = _native.ReadCString(pointer);
            _native.FreeCString(_ctx, pointer);
            return text;
        }
        finally
        {
            _native.FreeValue(_ctx, value);
        }
    }

    private int NewString(string text)
    {
        var pointer = _native.MallocCString(text);
        var box = _native.NewStringRaw(_ctx, pointer);
        _native.Free(pointer);
        return box;
    }

    [GeneratedRegex(@"^exported variable '(?<name>[^']+)' does not exist$")]
    private static partial Regex UndeclaredExportPattern();

    [GeneratedRegex(@"^\s*at (?:[^\n(]*\()?(?<file>[^\n()]*):(?<line>\d+):(?<column>\d+)\)?\s*$", RegexOptions.Multiline)]
    private static partial Regex FramePattern();

    /// <summary>No host functions exist; the clock is read once, to seed Math.random when the context is created.</summary>
    private sealed class NoHost : NativeImports.ICallbacks
    {
        public double DateNow() => EngineOptions.DefaultClockMs;

        public int CallHostFunction(int ctx, int thisPointer, int argc, int argv, int hostRefId) => 0;

        public void ReleaseHostRef(int hostRefId) { }

        public int LoadModuleSource(string name) => 0; // the checker never enables the module loader
    }
}
