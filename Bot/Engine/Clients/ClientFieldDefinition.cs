namespace BotEngine.Engine.Clients;

/// <summary>A custom profile field: its key in the profile's fields, its type (text, number, date, boolean) and its titles.</summary>
public sealed record ClientFieldDefinition(string Name, string Type, string TitleRu, string TitleEn);
