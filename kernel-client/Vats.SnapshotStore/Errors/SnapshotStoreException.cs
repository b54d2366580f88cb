namespace Vats.SnapshotStore;

/// <summary>Something the store cannot do or read; the subtypes say what.</summary>
public class SnapshotStoreException : Exception
{
    /// <summary>An error with a message.</summary>
    public SnapshotStoreException(string message) : base(message) { }

    /// <summary>An error with a message and its cause.</summary>
    public SnapshotStoreException(string message, Exception inner) : base(message, inner) { }
}
