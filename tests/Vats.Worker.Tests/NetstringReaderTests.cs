using System.Text;
using Vats.Protocol;

namespace Vats.Worker.Tests;

/// <summary>
/// The netstring reader on its own, for messages large enough to be read straight into their own array
/// (<see cref="NetstringReader.LargeMessageBytes"/>): whatever way the stream splits them, the bytes come out the same,
/// the messages around them too, and a stream cut short is an error, not a message.
/// </summary>
public sealed class NetstringReaderTests
{
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(4096)]
    [TestCase(65_536)]
    [TestCase(3_000_000)]
    public async Task ALargeMessageBetweenSmallOnesArrivesWholeHoweverTheStreamSplitsIt(int chunk)
    {
        var large = new byte[NetstringReader.LargeMessageBytes + 12_345];
        new Random(chunk).NextBytes(large);
        large[0] = (byte)'C';
        var stream = Framed(Encoding.ASCII.GetBytes("?small"), large, Encoding.ASCII.GetBytes("e1+1"));
        foreach (var asynchronous in new[] { false, true })
        {
            var reader = new NetstringReader(new Chunked(stream, chunk));
            async Task<byte[]?> Next() => asynchronous ? await reader.ReadAsync() : reader.Read();
            Assert.That(Encoding.ASCII.GetString((await Next())!), Is.EqualTo("?small"));
            Assert.That((await Next())!, Is.EqualTo(large), "the large message");
            Assert.That(Encoding.ASCII.GetString((await Next())!), Is.EqualTo("e1+1"));
            Assert.That(await Next(), Is.Null, "a clean end");
            Assert.That(reader.Position, Is.EqualTo(stream.Length));
        }
    }

    [Test]
    public void ALargeMessageCutShortOrWithoutItsCommaIsAProtocolError()
    {
        var large = new byte[NetstringReader.LargeMessageBytes * 2];
        large[0] = (byte)'C';
        var whole = Framed(large);
        var cut = new NetstringReader(new Chunked(whole[..(whole.Length / 2)], 100_000));
        Assert.That(() => cut.Read(), Throws.TypeOf<ProtocolException>().With.Message.Contains("ended inside a message"));
        var noComma = new NetstringReader(new Chunked(whole[..^1], 100_000));
        Assert.That(() => noComma.Read(), Throws.TypeOf<ProtocolException>().With.Message.Contains("not its ','"));
        whole[^1] = (byte)';';
        var wrongEnd = new NetstringReader(new Chunked(whole, 100_000));
        Assert.That(() => wrongEnd.Read(), Throws.TypeOf<ProtocolException>().With.Message.Contains("expected ','"));
    }

    [Test]
    public void ALargeMessageOverItsTagsLimitIsRefusedBeforeItsPayloadIsRead()
    {
        var large = new byte[NetstringReader.LargeMessageBytes + 1];
        large[0] = (byte)'e';
        var stream = new Chunked(Framed(large), 16);
        var reader = new NetstringReader(stream, tag => tag == (byte)'e' ? 1000 : long.MaxValue);
        Assert.That(() => reader.Read(), Throws.TypeOf<ProtocolException>().With.Message.Contains("exceeds the limit"));
        Assert.That(stream.Position, Is.LessThan(1000), "refused after the prefix and the tag");
    }

    private static byte[] Framed(params byte[][] messages)
    {
        var output = new MemoryStream();
        foreach (var message in messages)
        {
            output.Write(Encoding.ASCII.GetBytes($"{message.Length}:"));
            output.Write(message);
            output.WriteByte((byte)',');
        }
        return output.ToArray();
    }

    /// <summary>A stream that gives at most <c>chunk</c> bytes per read.</summary>
    private sealed class Chunked(byte[] bytes, int chunk) : MemoryStream(bytes, writable: false)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(chunk, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(chunk, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
