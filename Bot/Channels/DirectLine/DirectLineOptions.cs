namespace BotEngine.Channels.DirectLine;

public sealed class DirectLineOptions
{
    /// <summary>The Direct Line secret; when empty one is generated and kept in the database.</summary>
    public string? Secret { get; set; }
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>The largest activity body a client may post (the upload route takes <c>Files:MaxUploadBytes</c>).</summary>
    public long MaxActivityBytes { get; set; } = 64 * 1024;
    /// <summary>The longest message text accepted; a longer one is refused with 400.</summary>
    public int MaxTextLength { get; set; } = 4000;
}
