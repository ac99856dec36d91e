namespace BotEngine.Engine.Files;

public sealed class StoredFileInfo
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public long CreatedAt { get; set; }

    public bool IsImage => FileRules.IsInlineImage(ContentType);
}
