namespace Vats.Wasm.Tests.Fuzz;

/// <summary>
/// Makes damaged copies of a module binary: bit flips, boundary bytes, inserted, deleted or duplicated runs,
/// truncation, and section-level splices (swap, drop, duplicate, or take a section from another module).
/// Deterministic for a given <see cref="Random"/> seed.
/// </summary>
internal sealed class ModuleMutator(Random random)
{
    // The bytes where LEB128 and type decoding change meaning: zero, largest one-byte value, bare continuation, all ones.
    private static readonly byte[] BoundaryBytes = [0x00, 0x7F, 0x80, 0xFF];

    // True while the byte operations work on one section's contents rather than on a whole module.
    private bool _editingContents;

    /// <summary>Applies one to three mutations anywhere in the module.</summary>
    public byte[] MutateFreely(byte[] seed, IReadOnlyList<byte[]> donors, out string description)
    {
        var bytes = seed;
        var steps = new List<string>();
        var roll = random.Next(10);
        var count = roll < 6 ? 1 : roll < 9 ? 2 : 3;
        for (var i = 0; i < count; i++)
        {
            bytes = random.Next(100) switch
            {
                < 20 => FlipBits(bytes, random.Next(1, 5), steps),
                < 40 => SetBoundaryBytes(bytes, random.Next(1, 5), steps),
                < 65 => EditInsideSection(bytes, 16, steps),
                < 72 => InsertRun(bytes, 16, steps),
                < 79 => DeleteRun(bytes, 16, steps),
                < 85 => DuplicateRun(bytes, 16, steps),
                < 89 => Truncate(bytes, steps),
                _ => SpliceSections(bytes, donors, steps),
            };
        }
        description = string.Join(", ", steps);
        return bytes;
    }

    /// <summary>Changes only a few bytes (for a large module, where every attempt costs a full decode).</summary>
    public byte[] MutateFewBytes(byte[] seed, out string description)
    {
        var steps = new List<string>();
        var roll = random.Next(100);
        var bytes = roll switch
        {
            < 30 => FlipBits(seed, random.Next(1, 4), steps),
            < 60 => SetBoundaryBytes(seed, random.Next(1, 4), steps),
            < 90 => EditInsideSection(seed, 4, steps),
            < 92 => InsertRun(seed, 4, steps),
            < 94 => DeleteRun(seed, 4, steps),
            < 96 => DuplicateRun(seed, 4, steps),
            < 98 => Truncate(seed, steps),
            _ => SpliceSections(seed, [], steps),
        };
        description = string.Join(", ", steps);
        return bytes;
    }

    /// <summary>
    /// A position below <paramref name="length"/>; it avoids the 8-byte header 19 times in 20, because a damaged
    /// magic number or version stops decoding at once and most seeds are only a few dozen bytes long.
    /// </summary>
    private int Position(int length) =>
        !_editingContents && length > WasmSections.HeaderLength && random.Next(20) != 0
            ? random.Next(WasmSections.HeaderLength, length)
            : random.Next(length);

    private byte[] FlipBits(byte[] bytes, int count, List<string> steps)
    {
        if (bytes.Length == 0) return bytes;
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < count; i++)
        {
            var at = Position(copy.Length);
            var bit = random.Next(8);
            copy[at] ^= (byte)(1 << bit);
            steps.Add($"flip bit {bit} at {at}");
        }
        return copy;
    }

    private byte[] SetBoundaryBytes(byte[] bytes, int count, List<string> steps)
    {
        if (bytes.Length == 0) return bytes;
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < count; i++)
        {
            var at = Position(copy.Length);
            copy[at] = BoundaryBytes[random.Next(BoundaryBytes.Length)];
            steps.Add($"set {at} to 0x{copy[at]:x2}");
        }
        return copy;
    }

    private byte[] InsertRun(byte[] bytes, int maxLength, List<string> steps)
    {
        var at = Position(bytes.Length + 1);
        var run = new byte[random.Next(1, maxLength + 1)];
        for (var i = 0; i < run.Length; i++)
            run[i] = random.Next(2) == 0 ? BoundaryBytes[random.Next(BoundaryBytes.Length)] : (byte)random.Next(256);
        steps.Add($"insert {run.Length} bytes at {at}");
        return [.. bytes.AsSpan(0, at), .. run, .. bytes.AsSpan(at)];
    }

    private byte[] DeleteRun(byte[] bytes, int maxLength, List<string> steps)
    {
        if (bytes.Length == 0) return bytes;
        var at = Position(bytes.Length);
        var length = Math.Min(random.Next(1, maxLength + 1), bytes.Length - at);
        steps.Add($"delete {length} bytes at {at}");
        return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + length)];
    }

    private byte[] DuplicateRun(byte[] bytes, int maxLength, List<string> steps)
    {
        if (bytes.Length == 0) return bytes;
        var from = Position(bytes.Length);
        var length = Math.Min(random.Next(1, maxLength + 1), bytes.Length - from);
        var to = Position(bytes.Length + 1);
        steps.Add($"copy {length} bytes from {from} to {to}");
        return [.. bytes.AsSpan(0, to), .. bytes.AsSpan(from, length), .. bytes.AsSpan(to)];
    }

    private byte[] Truncate(byte[] bytes, List<string> steps)
    {
        if (bytes.Length == 0) return bytes;
        var length = Position(bytes.Length);
        steps.Add($"truncate to {length}");
        return bytes[..length];
    }

    /// <summary>
    /// Inserts, deletes or duplicates a run inside one section and rewrites the section's size, so the damage
    /// reaches the section's decoder instead of stopping at the section layout.
    /// </summary>
    private byte[] EditInsideSection(byte[] bytes, int maxLength, List<string> steps)
    {
        var sections = WasmSections.Split(bytes);
        if (sections is null || sections.Count == 0) return FlipBits(bytes, 1, steps);
        var index = random.Next(sections.Count);
        var section = sections[index];
        var contents = bytes[section.ContentStart..section.End];
        var inner = new List<string>();
        _editingContents = true;
        try
        {
            contents = random.Next(3) switch
            {
                0 => InsertRun(contents, maxLength, inner),
                1 => DeleteRun(contents, maxLength, inner),
                _ => DuplicateRun(contents, maxLength, inner),
            };
        }
        finally
        {
            _editingContents = false;
        }
        steps.Add($"in section {index} (id {section.Id}, contents at {section.ContentStart}): {string.Join(", ", inner)}");
        return [.. bytes.AsSpan(0, section.Start), section.Id, .. WasmSections.EncodeU32((uint)contents.Length), .. contents, .. bytes.AsSpan(section.End)];
    }

    private byte[] SpliceSections(byte[] bytes, IReadOnlyList<byte[]> donors, List<string> steps)
    {
        var sections = WasmSections.Split(bytes);
        if (sections is null || sections.Count == 0) return DeleteRun(bytes, 16, steps);
        var parts = sections.Select(s => bytes[s.Start..s.End]).ToList();
        var i = random.Next(parts.Count);
        switch (random.Next(4))
        {
            case 0:
                var j = random.Next(parts.Count);
                (parts[i], parts[j]) = (parts[j], parts[i]);
                steps.Add($"swap sections {i} and {j}");
                break;
            case 1:
                parts.RemoveAt(i);
                steps.Add($"drop section {i}");
                break;
            case 2:
                parts.Insert(random.Next(parts.Count + 1), parts[i]);
                steps.Add($"duplicate section {i}");
                break;
            default:
                var donor = donors.Count > 0 ? donors[random.Next(donors.Count)] : bytes;
                var donorSections = WasmSections.Split(donor);
                if (donorSections is null || donorSections.Count == 0) goto case 1;
                var taken = donorSections[random.Next(donorSections.Count)];
                parts[i] = donor[taken.Start..taken.End];
                steps.Add($"replace section {i} with a section of id {taken.Id} from another module");
                break;
        }
        var result = new List<byte>(bytes.Length + 64);
        result.AddRange(bytes.AsSpan(0, WasmSections.HeaderLength));
        foreach (var part in parts) result.AddRange(part);
        return [.. result];
    }
}
