using System.Text;

namespace Vats.Bundler.Transform;

/// <summary>Non-overlapping text replacements applied to a source in one pass.</summary>
internal sealed class SourceEdits(string source)
{
    private readonly List<(int Start, int End, string Text, int Order)> _edits = [];
    private readonly List<(int Start, int End)> _replaced = [];
    private bool _replacedSorted = true;

    public void Replace(int start, int end, string text)
    {
        _edits.Add((start, end, text, _edits.Count));
        if (end <= start) return;
        if (_replaced.Count > 0 && _replaced[^1].Start > start) _replacedSorted = false;
        _replaced.Add((start, end));
    }

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

    /// <summary>True when [start, end) lies inside text that an edit replaces (a point: strictly inside).</summary>
    public bool Covers(int start, int end)
    {
        if (!_replacedSorted)
        {
            _replaced.Sort();
            _replacedSorted = true;
        }
        // The last replaced range starting at or before `start`; replaced ranges never overlap.
        int lo = 0, hi = _replaced.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_replaced[mid].Start <= start) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found >= 0 && start < _replaced[found].End && end <= _replaced[found].End;
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
