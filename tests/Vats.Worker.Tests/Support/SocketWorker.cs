using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Vats.Protocol;

namespace Vats.Worker.Tests.Support;

/// <summary>
/// One <c>vats-worker</c> process in socket mode, driven byte by byte: the test listens on a Unix domain socket in a
/// temporary folder, starts the worker with <c>--socket</c>, reads its hello, then writes raw bytes or netstrings and
/// reads netstrings. Standard error and output are captured. The process is killed on dispose if it still runs.
/// </summary>
internal sealed class SocketWorker : IDisposable
{
    /// <summary>How long any one step may take: generous, since other processes may load the machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TempFolder _folder;
    private readonly Process _process;
    private readonly Socket _connection;
    private readonly NetworkStream _stream;
    private readonly NetstringReader _reader;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private SocketWorker(TempFolder folder, Process process, Socket connection, Task<string> stdout, Task<string> stderr)
    {
        _folder = folder;
        _process = process;
        _connection = connection;
        _connection.ReceiveTimeout = (int)Patience.TotalMilliseconds;
        _stream = new NetworkStream(connection, ownsSocket: true);
        _reader = new NetstringReader(_stream);
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>The hello's JSON, exactly as sent.</summary>
    public byte[] HelloJson { get; private set; } = [];

    /// <summary>
    /// Starts a worker named <paramref name="name"/> with <paramref name="options"/> after <c>--socket PATH</c>, and reads
    /// its hello. Without a <c>--boot-cache</c> option it gets <c>--no-boot-cache</c>: tests never touch the user's cache.
    /// </summary>
    public static SocketWorker Start(string name, params string[] options) => Start(name, null, options);

    /// <summary>
    /// As <see cref="Start(string, string[])"/>, with <paramref name="environment"/> added to the worker's environment;
    /// then no <c>--no-boot-cache</c> is added (the environment may name the cache), so it must name a test folder.
    /// </summary>
    public static SocketWorker Start(string name, IReadOnlyDictionary<string, string>? environment, params string[] options)
    {
        var folder = new TempFolder();
        Process? process = null;
        SocketWorker? worker = null;
        try
        {
            var socketPath = folder.File("w.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            var start = new ProcessStartInfo(TestPaths.Worker)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(name);
            start.ArgumentList.Add("--socket");
            start.ArgumentList.Add(socketPath);
            foreach (var option in options) start.ArgumentList.Add(option);
            if (environment is null && !options.Contains("--boot-cache") && !options.Contains("--no-boot-cache")) start.ArgumentList.Add("--no-boot-cache");
            foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {TestPaths.Worker}");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();

            var accept = listener.AcceptAsync();
            var exited = process.WaitForExitAsync();
            var first = Task.WhenAny(accept, exited, Task.Delay(Patience)).GetAwaiter().GetResult();
            if (first != accept)
            {
                var why = first == exited ? $"exited with {process.ExitCode} before connecting" : $"did not connect within {Patience}";
                Assert.Fail($"the worker {why}; stderr: {(stderr.Wait(TimeSpan.FromSeconds(10)) ? stderr.Result : "(unread)")}");
            }
            worker = new SocketWorker(folder, process, accept.Result, stdout, stderr);
            var hello = worker.ReadMessage();
            Assert.That((char)hello[0], Is.EqualTo((char)Tags.Hello), $"the first message is not a hello: {Show(hello)}");
            worker.HelloJson = hello[1..];
            return worker;
        }
        catch
        {
            // The worker owns the process and the folder once it exists.
            if (worker is not null)
            {
                worker.Dispose();
            }
            else
            {
                if (process is not null) Kill(process);
                folder.Dispose();
            }
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> as they are: framing is the test's business.</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _stream.Flush();
    }

    /// <summary>Writes <paramref name="tag"/> + <paramref name="payload"/> as one netstring.</summary>
    public void Send(byte tag, ReadOnlySpan<byte> payload = default) => NetstringWriter.Write(_stream, tag, payload);

    /// <summary>Writes the UTF-8 of <paramref name="message"/> (tag included) as one netstring.</summary>
    public void Send(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        Send(bytes[0], bytes.AsSpan(1));
    }

    /// <summary>The next message, or null when the worker closed the connection.</summary>
    public byte[]? Read()
    {
        try
        {
            return _reader.Read();
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // A worker that exits with unread input in its socket resets the connection: it is gone all the same.
            return null;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
        {
            Assert.Fail($"the worker sent nothing within {Patience}");
            throw;
        }
    }

    /// <summary>The next message; fails the test when the connection ended instead.</summary>
    public byte[] ReadMessage() =>
        Read() ?? throw new AssertionException($"the worker closed the connection instead of replying (exit {WaitForExit()}): {Stderr}");

    /// <summary>Sends <paramref name="message"/> and reads the reply.</summary>
    public byte[] Call(string message)
    {
        Send(message);
        return ReadMessage();
    }

    /// <summary>Sends <paramref name="message"/> and returns the reply as UTF-8 text (tag included).</summary>
    public string CallText(string message) => Encoding.UTF8.GetString(Call(message));

    /// <summary>Sends <c>e</c> + <paramref name="source"/> and returns its successful reply (fails on <c>!</c> or an upcall).</summary>
    public OkReply Evaluate(string source) => OkReply.Parse(Call("e" + source));

    /// <summary>Sends <c>?</c> + <paramref name="message"/> and returns its successful reply (fails on <c>!</c> or an upcall).</summary>
    public OkReply Command(string message) => OkReply.Parse(Call("?" + message));

    /// <summary>Takes a snapshot (<c>w</c>): the <c>S</c> message's payload, after checking the <c>.</c> reply's byte count.</summary>
    public byte[] Snapshot()
    {
        var data = Call("w@socket");
        Assert.That((char)data[0], Is.EqualTo((char)Tags.SnapshotData), $"expected an S message before the reply to w, got {Show(data)}");
        var reply = OkReply.Parse(ReadMessage());
        Assert.That(reply.Text, Is.EqualTo((data.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "the reply to w states the snapshot's byte count");
        return data[1..];
    }

    /// <summary>
    /// Ends the input and returns every message left until the worker closes the connection. Ending the input first
    /// means a worker that (wrongly) goes on after the last command exits at once rather than waits for more.
    /// </summary>
    public List<byte[]> ReadToEnd()
    {
        EndInput();
        var messages = new List<byte[]>();
        while (Read() is { } message) messages.Add(message);
        return messages;
    }

    /// <summary>Ends the command stream (the worker sees EOF) but keeps reading.</summary>
    public void EndInput()
    {
        try
        {
            _connection.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The worker is already gone: it sees no more input either way.
        }
    }

    /// <summary>Closes the connection altogether, as a parent that died.</summary>
    public void CloseConnection() => _stream.Dispose();

    /// <summary>Waits for the process to end and returns its exit code; fails the test if it does not end in time.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(Patience))
        {
            Kill(_process);
            Assert.Fail($"the worker did not exit within {Patience}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Everything the worker wrote to standard error (waits for its exit).</summary>
    public string Stderr => Output(_stderr);

    /// <summary>Everything the worker wrote to standard output (waits for its exit).</summary>
    public string Stdout => Output(_stdout);

    private string Output(Task<string> stream)
    {
        WaitForExit();
        return stream.Wait(Patience) ? stream.Result : throw new AssertionException("the worker's output did not end");
    }

    /// <summary>A message for assertion texts: printable ASCII as is, other bytes as \xNN, long ones cut.</summary>
    public static string Show(byte[]? message)
    {
        if (message is null) return "(end of stream)";
        var text = new StringBuilder();
        foreach (var b in message.Take(300)) text.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        if (message.Length > 300) text.Append($"… ({message.Length} bytes)");
        return text.ToString();
    }

    public void Dispose()
    {
        Kill(_process);
        _stream.Dispose();
        _process.Dispose();
        _folder.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It was never started or is already gone.
        }
    }
}
