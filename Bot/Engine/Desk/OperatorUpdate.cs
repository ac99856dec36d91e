namespace BotEngine.Engine.Desk;

/// <summary>Changes to an operator; a null field keeps its current value.</summary>
public sealed record OperatorUpdate(
    string? DisplayName = null,
    int? MaxDialogs = null,
    string[]? Permissions = null,
    string[]? CallCentres = null,
    string[]? Languages = null,
    string[]? Lines = null,
    string[]? Skills = null);
