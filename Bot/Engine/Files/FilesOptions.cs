namespace BotEngine.Engine.Files;

public sealed class FilesOptions
{
    /// <summary>The largest file the engine stores (20 MB).</summary>
    public long MaxFileBytes { get; set; } = 20L << 20;
    /// <summary>The largest upload request, all its files together.</summary>
    public long MaxUploadBytes { get; set; } = 50L << 20;
    public int MaxFilesPerUpload { get; set; } = 10;
    /// <summary>The engine's address as clients reach it, for file links; the request's host, else the first listening address, when unset.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>The housekeeping job deletes a file nothing refers to only once it is this old (an upload waits for its message).</summary>
    public TimeSpan UnreferencedGracePeriod { get; set; } = TimeSpan.FromDays(7);
}
