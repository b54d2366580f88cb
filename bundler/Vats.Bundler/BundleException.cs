namespace Vats.Bundler;

/// <summary>A bundling failure tied to a place in a source file (file:line:column).</summary>
public sealed class BundleException : Exception
{
    /// <summary>Creates an error whose message already carries its location.</summary>
    public BundleException(string message) : base(message) { }

    internal static BundleException At(string file, string source, int offset, string message)
    {
        var (line, column) = LineColumn(source, offset);
        return new BundleException($"{file}:{line}:{column}: {message}");
    }

    internal static (int Line, int Column) LineColumn(string source, int offset)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset && i < source.Length; i++)
        {
            if (source[i] == '\n' || (source[i] == '\r' && (i + 1 >= source.Length || source[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }
}
