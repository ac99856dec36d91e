namespace BotEngine.Storage.Desk;

/// <summary>A named template of permissions and routing settings, applied when an operator is created from it.</summary>
public sealed record PositionTemplate(string Name, string[] Permissions, string[]? CallCentres, string[]? Languages, string[]? Lines, string[]? Skills, int? MaxDialogs);
