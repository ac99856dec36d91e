namespace BotEngine.Storage.Clients;

/// <summary>A custom profile field an administrator defined.</summary>
public sealed record ClientFieldDefinitionRow
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string TitleRu { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public long Position { get; init; }
}
