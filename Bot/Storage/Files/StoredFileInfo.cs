namespace BotEngine.Storage.Files;

/// <summary>A stored file's metadata (a row of <c>files</c> without its bytes).</summary>
public sealed class StoredFileInfo
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public long CreatedAt { get; set; }
}
