using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vats.Worker.BootImages;

/// <summary>
/// A folder of boot images, one file per key (<c>KEYHEX.vatsboot</c>). Files are written under a temporary name and
/// renamed, so a reader sees a whole file or none. A hit reads only the small answer part (checked by its own
/// SHA-256); the engine snapshot is read and checked (by the SHA-256 over the whole file) only when the worker needs
/// the engine — a boot of two bundles restores one image, not two. A file that fails a check or cannot be read is
/// deleted and treated as absent. Writes run in the background after the reply has gone; beyond
/// <c>maxEntries</c> files the least recently used are removed.
/// </summary>
/// <remarks>
/// File layout (little-endian): magic <c>VATSBOOT</c>, u32 version, 32-byte key, u32 answer length, answer (i64
/// compute, i64 heap count, i64 allocate, u32 length + reply, u32 count + (u32 length + UTF-8) per printed line),
/// SHA-256 of everything before it, i64 length + engine snapshot, SHA-256 of everything before it.
/// </remarks>
internal sealed class BootImageCache(string directory, int maxEntries, Action<string> log)
{
    private const int FormatVersion = 2;
    private const string Extension = ".vatsboot";
    private const int HeaderSize = 8 + 4 + 32 + 4;
    private static ReadOnlySpan<byte> Magic => "VATSBOOT"u8;

    private readonly List<Task> _writes = [];

    /// <summary>The answer stored under <paramref name="key"/>, or null (absent, unreadable or corrupt: then deleted).</summary>
    internal BootImage? TryLoad(ReadOnlySpan<byte> key)
    {
        var path = PathFor(key);
        try
        {
            if (!File.Exists(path)) return null;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            var header = new byte[HeaderSize];
            var problem = "truncated";
            if (file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) == HeaderSize && CheckHeader(header, key, out problem))
            {
                var answerLength = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(HeaderSize - 4));
                if (answerLength is >= 0 and <= 64 << 20)
                {
                    var prefix = new byte[HeaderSize + answerLength + 32];
                    header.CopyTo(prefix, 0);
                    var read = file.ReadAtLeast(prefix.AsMemory(HeaderSize).Span, answerLength + 32, throwOnEndOfStream: false);
                    if (read == answerLength + 32 &&
                        SHA256.HashData(prefix.AsSpan(0, HeaderSize + answerLength)).AsSpan().SequenceEqual(prefix.AsSpan(HeaderSize + answerLength)))
                    {
                        var answer = DecodeAnswer(prefix.AsSpan(HeaderSize, answerLength));
                        if (answer is not null)
                        {
                            Touch(path);
                            return answer;
                        }
                        problem = "its answer does not decode";
                    }
                    else
                    {
                        problem = "its answer fails its checksum";
                    }
                }
            }
            log($"boot image {path} is corrupt ({problem}); deleting it and evaluating instead");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"boot image {path} could not be read ({e.Message}); evaluating instead");
            return null;
        }
        TryDelete(path);
        return null;
    }

    /// <summary>
    /// The engine snapshot stored under <paramref name="key"/>, after checking the whole file; throws
    /// <see cref="InvalidDataException"/> (and deletes the file) when it fails.
    /// </summary>
    internal byte[] LoadSnapshot(ReadOnlySpan<byte> key)
    {
        var path = PathFor(key);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"boot image {path} could not be read: {e.Message}", e);
        }
        if (bytes.Length < HeaderSize + 32 + 8 + 32 || !CheckHeader(bytes, key, out var problem))
            problem = "truncated or not a boot image";
        else if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            problem = "checksum mismatch";
        else
        {
            var at = HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(HeaderSize - 4)) + 32;
            var length = at + 8 <= bytes.Length ? BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)) : -1;
            if (length >= 0 && at + 8 + length + 32 == bytes.Length) return bytes.AsSpan(at + 8, (int)length).ToArray();
            problem = "its snapshot's length is wrong";
        }
        TryDelete(path);
        throw new InvalidDataException($"boot image {path} is corrupt ({problem})");
    }

    /// <summary>Deletes the image under <paramref name="key"/> (it restored badly).</summary>
    internal void Remove(ReadOnlySpan<byte> key) => TryDelete(PathFor(key));

    /// <summary>Starts writing <paramref name="image"/> and <paramref name="engineSnapshot"/> under <paramref name="key"/> in the background.</summary>
    internal void Store(byte[] key, BootImage image, byte[] engineSnapshot)
    {
        lock (_writes)
        {
            _writes.RemoveAll(t => t.IsCompleted);
            _writes.Add(Task.Run(() => Write(key, image, engineSnapshot)));
        }
    }

    /// <summary>Waits for background writes (bounded: a slow disk must not hold the worker's exit).</summary>
    internal void Flush(TimeSpan timeout)
    {
        Task[] pending;
        lock (_writes) pending = [.. _writes];
        try
        {
            Task.WaitAll(pending, timeout);
        }
        catch (AggregateException)
        {
            // Each write logs its own failure.
        }
    }

    private void Write(byte[] key, BootImage image, byte[] engineSnapshot)
    {
        var path = PathFor(key);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(temporary, Encode(key, image, engineSnapshot));
            File.Move(temporary, path, overwrite: true);
            Prune();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"boot image {path} could not be written ({e.Message}); the next worker evaluates instead");
            TryDelete(temporary);
        }
    }

    private void Prune()
    {
        var files = new DirectoryInfo(directory).GetFiles("*" + Extension);
        if (files.Length <= maxEntries) return;
        foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc).Take(files.Length - maxEntries)) TryDelete(file.FullName);
    }

    private string PathFor(ReadOnlySpan<byte> key) => Path.Combine(directory, Convert.ToHexStringLower(key) + Extension);

    private static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // the least recently used go first
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still serves.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another worker may hold or have removed it; a later run tries again.
        }
    }

    private static bool CheckHeader(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> key, out string problem)
    {
        problem = !bytes[..8].SequenceEqual(Magic) ? "bad magic"
            : BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]) != FormatVersion ? "another format version"
            : !bytes.Slice(12, 32).SequenceEqual(key) ? "stored under another key"
            : "";
        return problem.Length == 0;
    }

    internal static byte[] Encode(byte[] key, BootImage image, byte[] engineSnapshot)
    {
        var answer = EncodeAnswer(image);
        var bytes = new byte[HeaderSize + answer.Length + 32 + 8 + engineSnapshot.Length + 32];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), FormatVersion);
        key.CopyTo(bytes, 12);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(HeaderSize - 4), answer.Length);
        answer.CopyTo(bytes, HeaderSize);
        var at = HeaderSize + answer.Length;
        SHA256.HashData(bytes.AsSpan(0, at), bytes.AsSpan(at));
        at += 32;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), engineSnapshot.Length);
        engineSnapshot.CopyTo(bytes, at + 8);
        at += 8 + engineSnapshot.Length;
        SHA256.HashData(bytes.AsSpan(0, at), bytes.AsSpan(at));
        return bytes;
    }

    private static byte[] EncodeAnswer(BootImage image)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream); // little-endian
        writer.Write(image.Compute);
        writer.Write(image.HeapCount);
        writer.Write(image.Allocate);
        writer.Write(image.Reply.Length);
        writer.Write(image.Reply);
        writer.Write(image.Prints.Count);
        foreach (var line in image.Prints)
        {
            var utf8 = Encoding.UTF8.GetBytes(line);
            writer.Write(utf8.Length);
            writer.Write(utf8);
        }
        writer.Flush();
        return stream.ToArray();
    }

    private static BootImage? DecodeAnswer(ReadOnlySpan<byte> answer)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(answer.ToArray()));
            var compute = reader.ReadInt64();
            var heapCount = reader.ReadInt64();
            var allocate = reader.ReadInt64();
            var reply = ReadExactly(reader, reader.ReadInt32());
            var prints = new List<string>();
            for (var count = reader.ReadInt32(); count > 0; count--) prints.Add(Encoding.UTF8.GetString(ReadExactly(reader, reader.ReadInt32())));
            return reader.BaseStream.Position == answer.Length ? new BootImage(reply, compute, heapCount, allocate, prints) : null;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException)
        {
            return null;
        }
    }

    private static byte[] ReadExactly(BinaryReader reader, int count)
    {
        var bytes = reader.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException();
    }
}
