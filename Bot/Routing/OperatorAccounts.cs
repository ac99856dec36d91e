using BotEngine.Bot.Storage;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace BotEngine.Bot.Routing;

public static class Permissions
{
    public static readonly string[] All =
    [
        "view_client", "modify_clients", "view_kb", "modify_knowledgebase", "view_users", "modify_users", "view_stat",
        "view_monitoring", "view_dialogs_search", "view_reroute_btn", "send_files", "send_pics", "modify_configuration",
        "modify_user_dissatisfaction", "view_deeplinking", "change_password",
    ];

    /// <summary>What a newly created operator may do unless told otherwise.</summary>
    public static readonly string[] OperatorDefault = ["view_client", "view_kb", "send_files", "send_pics", "change_password"];
}

public sealed record NewOperator(string Login, string Password, string? DisplayName, int? MaxDialogs, string[]? Permissions);

/// <summary>Creates operators and checks their passwords (hashed with ASP.NET Core's PasswordHasher).</summary>
public sealed class OperatorAccounts(Database database, TimeProvider time)
{
    private readonly PasswordHasher<string> _hasher = new();

    public async Task<OperatorRow> CreateAsync(NewOperator request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Login) || request.Login.Length > 64)
            throw new DeskException(400, "login: required, at most 64 characters.");
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length < 8)
            throw new DeskException(400, "password: required, at least 8 characters.");
        if (request.MaxDialogs is < 1 or > 100)
            throw new DeskException(400, "maxDialogs: must be between 1 and 100.");
        var unknown = request.Permissions?.Except(Permissions.All).ToList() ?? [];
        if (unknown.Count > 0)
            throw new DeskException(400, $"permissions: unknown permission(s) {string.Join(", ", unknown)}.");

        var now = time.NowMicros();
        var row = new OperatorRow
        {
            Id = Ids.New(),
            Login = request.Login.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? request.Login.Trim() : request.DisplayName.Trim(),
            PasswordHash = _hasher.HashPassword(request.Login, request.Password),
            Permissions = string.Join(',', request.Permissions ?? Permissions.OperatorDefault),
            MaxDialogs = request.MaxDialogs ?? 3,
            Status = OperatorStatuses.Offline,
            StatusChangedAt = now,
            CreatedAt = now,
        };
        var inserted = await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO operators (id, login, display_name, password_hash, permissions, max_dialogs, status, status_changed_at, created_at)
            VALUES (@Id, @Login, @DisplayName, @PasswordHash, @Permissions, @MaxDialogs, @Status, @StatusChangedAt, @CreatedAt)
            ON CONFLICT (login) DO NOTHING
            """, row, t), cancellationToken);
        if (inserted == 0)
            throw new DeskException(409, $"login: an operator '{row.Login}' already exists.");
        return row;
    }

    public async Task<OperatorRow?> VerifyAsync(string login, string password, CancellationToken cancellationToken)
    {
        var row = await FindByLoginAsync(login, cancellationToken);
        if (row is null)
            return null;
        return _hasher.VerifyHashedPassword(row.Login, row.PasswordHash, password) == PasswordVerificationResult.Failed ? null : row;
    }

    public Task<OperatorRow?> FindByLoginAsync(string login, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<OperatorRow>("SELECT * FROM operators WHERE login = @login", new { login }), cancellationToken);

    public Task<OperatorRow?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<OperatorRow>("SELECT * FROM operators WHERE id = @id", new { id }), cancellationToken);

    public async Task<IReadOnlyList<OperatorRow>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<OperatorRow>("SELECT * FROM operators ORDER BY login"), cancellationToken)).AsList();
}
