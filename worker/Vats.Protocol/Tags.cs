namespace Vats.Protocol;

/// <summary>
/// The first byte of every message. Parent → worker: <see cref="IsReady"/>, <see cref="Evaluate"/>,
/// <see cref="Command"/>, <see cref="RunScript"/>, <see cref="ImportModule"/>, <see cref="WriteSnapshot"/>,
/// <see cref="Quit"/>, and <see cref="UpcallReply"/> only as the answer to an upcall. Worker → parent:
/// <see cref="Ok"/>, <see cref="Error"/>, <see cref="Upcall"/>. Socket mode adds <see cref="Hello"/> (the worker's
/// first message), <see cref="SnapshotData"/> (worker → client before the reply to <see cref="WriteSnapshot"/>) and
/// <see cref="LoadSnapshot"/> (client → worker, before any command that used the engine: a worker snapshot or a full checkpoint),
/// and checkpoints: <see cref="Checkpoint"/> and <see cref="CheckpointData"/>.
/// </summary>
public static class Tags
{
    /// <summary><c>R</c>: is the worker ready? Reply: a bare <c>.</c>.</summary>
    public const byte IsReady = (byte)'R';

    /// <summary><c>e</c>: evaluate the UTF-8 JavaScript that follows, as a global script.</summary>
    public const byte Evaluate = (byte)'e';

    /// <summary><c>?</c>: call <c>globalThis.handleCommand</c> with the bytes that follow (parent → worker); an upcall (worker → parent).</summary>
    public const byte Command = (byte)'?';

    /// <summary><c>?</c> from the worker: JavaScript called <c>issueCommand</c>; the parent answers with <see cref="UpcallReply"/>.</summary>
    public const byte Upcall = (byte)'?';

    /// <summary><c>s</c>: run the script file whose path follows.</summary>
    public const byte RunScript = (byte)'s';

    /// <summary><c>m</c>: import the module file whose path follows.</summary>
    public const byte ImportModule = (byte)'m';

    /// <summary><c>w</c>: write a heap snapshot (<c>@FD</c> or a file path in xsnap mode); the reply carries its byte count.</summary>
    public const byte WriteSnapshot = (byte)'w';

    /// <summary><c>q</c>: quit.</summary>
    public const byte Quit = (byte)'q';

    /// <summary><c>/</c>: the parent's answer to an upcall.</summary>
    public const byte UpcallReply = (byte)'/';

    /// <summary><c>.</c>: success, with meter JSON, <c>0x01</c> and the reply bytes.</summary>
    public const byte Ok = (byte)'.';

    /// <summary><c>!</c>: the command threw; the UTF-8 text of the exception follows.</summary>
    public const byte Error = (byte)'!';

    /// <summary><c>V</c> (socket mode): the worker's hello, JSON (<see cref="Hello"/>).</summary>
    public const byte Hello = (byte)'V';

    /// <summary><c>S</c> (socket mode): the snapshot's bytes, sent just before the reply to <see cref="WriteSnapshot"/>.</summary>
    public const byte SnapshotData = (byte)'S';

    /// <summary>
    /// <c>L</c> (socket mode): start from the snapshot whose bytes follow — a <see cref="WorkerSnapshot"/> or a full
    /// <see cref="WorkerCheckpoint"/>; only before any other command used the engine (<see cref="IsReady"/> may come
    /// first). Reply: a bare <c>.</c>.
    /// </summary>
    public const byte LoadSnapshot = (byte)'L';

    /// <summary>
    /// <c>K</c> (socket mode): take a checkpoint. Payload <c>full</c> asks for every non-zero page; otherwise the worker
    /// sends the pages changed since its previous checkpoint or load (all of them when it has neither). The worker
    /// answers with a <see cref="CheckpointData"/> message, then <c>.</c> with the number of pages sent.
    /// </summary>
    public const byte Checkpoint = (byte)'K';

    /// <summary><c>C</c> (socket mode): a <see cref="WorkerCheckpoint"/>, sent just before the reply to <see cref="Checkpoint"/>.</summary>
    public const byte CheckpointData = (byte)'C';

    /// <summary>Separates the meter JSON from the reply bytes in an <see cref="Ok"/> message.</summary>
    public const byte MeterSeparator = 0x01;
}
