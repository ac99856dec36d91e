namespace BotEngine.Engine.Desk;

public sealed record NewOperator(
    string Login,
    string Password,
    string? DisplayName,
    int? MaxDialogs,
    string[]? Permissions,
    string[]? CallCentres = null,
    string[]? Languages = null,
    string[]? Lines = null,
    string[]? Skills = null,
    string? Position = null);
