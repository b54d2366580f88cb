using System.Text;

namespace Vats.Bundler.Transform;

/// <summary>Non-overlapping text replacements applied to a source in one pass.</summary>
internal sealed class SourceEdits(string source)
{
    private readonly List<(int Start, int End, string Text, int Order)> _edits = [];

    public void Replace(int start, int end, string text) => _edits.Add((start, end, text, _edits.Count));

    public void Insert(int at, string text) => _edits.Add((at, at, text, _edits.Count));

    /// <summary>Replaces a range with only its line breaks, so later lines keep their numbers.</summary>
    public void Blank(int start, int end)
    {
        var sb = new StringBuilder();
        for (int i = start; i < end; i++)
        {
            char c = source[i];
            if (c is '\n' or '\r' or '\u2028' or '\u2029') sb.Append(c);
        }
        Replace(start, end, sb.ToString());
    }

    public string Apply()
    {
        _edits.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.End != b.End ? a.End.CompareTo(b.End) : a.Order.CompareTo(b.Order));
        var sb = new StringBuilder(source.Length + 256);
        int pos = 0;
        foreach (var (start, end, text, _) in _edits)
        {
            if (start < pos) throw new InvalidOperationException($"overlapping source edits at {start}");
            sb.Append(source, pos, start - pos);
            sb.Append(text);
            pos = end;
        }
        sb.Append(source, pos, source.Length - pos);
        return sb.ToString();
    }
}
