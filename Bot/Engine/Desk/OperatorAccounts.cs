using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;

namespace BotEngine.Engine.Desk;

/// <summary>Creates operators, checks and sets their passwords (hashed by <see cref="PasswordHashing"/>), ends their sessions.</summary>
public sealed class OperatorAccounts(Database database, OperatorStore operators, PositionStore positions, PasswordHashing hashing, TimeProvider time)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;
    public static readonly string ModifyUsers = Permission.ModifyUsers.ToName();

    public async Task<OperatorRow> CreateAsync(NewOperator request, CancellationToken cancellationToken)
    {
        if (request.Position is { Length: > 0 } positionName)
        {
            var position = await FindPositionAsync(positionName, cancellationToken)
                ?? throw new DeskException(400, $"position: position '{positionName}' does not exist.", "operator.position_unknown");
            // What the request names explicitly wins over the template.
            request = request with
            {
                Permissions = request.Permissions ?? position.Permissions,
                CallCentres = request.CallCentres ?? position.CallCentres,
                Languages = request.Languages ?? position.Languages,
                Lines = request.Lines ?? position.Lines,
                Skills = request.Skills ?? position.Skills,
                MaxDialogs = request.MaxDialogs ?? position.MaxDialogs,
            };
        }
        if (string.IsNullOrWhiteSpace(request.Login) || request.Login.Length > 64)
            throw new DeskException(400, "login: required, at most 64 characters.", "operator.login");
        ValidatePassword("password", request.Password);
        ValidateSettings(request.MaxDialogs, request.Permissions);
        var hash = await HashAsync(request.Password, cancellationToken);

        var now = time.NowMicros();
        var row = new OperatorRow
        {
            Id = Ids.New(),
            Login = request.Login.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? request.Login.Trim() : request.DisplayName.Trim(),
            PasswordHash = hash,
            Permissions = string.Join(',', request.Permissions ?? PermissionNames.OperatorDefault),
            MaxDialogs = request.MaxDialogs ?? 3,
            Routing = System.Text.Json.JsonSerializer.Serialize(BotEngine.Handoff.RoutingProfile.Create(
                request.CallCentres, request.Languages, request.Lines, request.Skills, request.MaxDialogs ?? 3), HandoffStore.Json),
            Position = request.Position,
            Status = OperatorStatus.Offline.ToName(),
            StatusChangedAt = now,
            CreatedAt = now,
        };
        if (!await operators.InsertAsync(row, cancellationToken))
            throw new DeskException(409, $"login: an operator '{row.Login}' already exists.", "operator.login_taken");
        return row;
    }

    /// <summary>Changes an operator's name, permissions, capacity or routing; what the request leaves out stays as it is.</summary>
    public async Task<OperatorRow> UpdateAsync(string id, OperatorUpdate request, CancellationToken cancellationToken)
    {
        ValidateSettings(request.MaxDialogs, request.Permissions);
        if (request.DisplayName is { } name && (name.Trim().Length == 0 || name.Length > 100))
            throw new DeskException(400, "displayName: 1 to 100 characters.", "operator.display_name");
        return await database.WriteAsync(async (c, t) =>
        {
            var row = await operators.LoadForUpdateAsync(c, t, id)
                ?? throw new DeskException(404, $"Operator '{id}' does not exist.", "operator.not_found");
            if (request.Permissions is { } permissions && !permissions.Contains(ModifyUsers) && HasModifyUsers(row) && row.DisabledAt is null
                && await CountOtherEnabledAdministratorsAsync(c, t, id) == 0)
                throw new DeskException(409, $"permissions: '{row.Login}' is the last enabled operator with {ModifyUsers}; without it nobody could manage operators.", "operator.last_admin");
            var routing = HandoffStore.Routing(row);
            var maxDialogs = request.MaxDialogs ?? row.MaxDialogs;
            var updated = row with
            {
                DisplayName = request.DisplayName?.Trim() ?? row.DisplayName,
                Permissions = request.Permissions is null ? row.Permissions : string.Join(',', request.Permissions),
                MaxDialogs = maxDialogs,
                Routing = System.Text.Json.JsonSerializer.Serialize(BotEngine.Handoff.RoutingProfile.Create(
                    request.CallCentres ?? [.. routing.CallCentres], request.Languages ?? [.. routing.Languages], request.Lines ?? [.. routing.Lines],
                    request.Skills ?? [.. routing.Skills], maxDialogs), HandoffStore.Json),
            };
            await OperatorStore.UpdateSettingsAsync(c, t, updated);
            return updated;
        }, cancellationToken);
    }

    private static void ValidateSettings(int? maxDialogs, string[]? permissions)
    {
        if (maxDialogs is < 1 or > 100)
            throw new DeskException(400, "maxDialogs: must be between 1 and 100.", "operator.capacity");
        var unknown = permissions?.Except(PermissionNames.All).ToList() ?? [];
        if (unknown.Count > 0)
            throw new DeskException(400, $"permissions: unknown permission(s) {string.Join(", ", unknown)}.", "operator.permissions_unknown");
    }

    /// <summary>
    /// The operator whose login and password these are, else null. An unknown login is checked against a dummy hash,
    /// so the answer takes as long as for a known one. Disabled operators are returned too: refusing them is the caller's.
    /// </summary>
    /// <exception cref="PasswordHashingBusyException">Too many checks are queued.</exception>
    public async Task<OperatorRow?> VerifyAsync(string login, string password, CancellationToken cancellationToken)
    {
        var row = await FindByLoginAsync(login, cancellationToken);
        return await hashing.VerifyAsync(row?.PasswordHash, password, cancellationToken) ? row : null;
    }

    /// <summary>Sets a new password and ends every session of the operator; returns the updated row.</summary>
    public async Task<OperatorRow> SetPasswordAsync(string id, string newPassword, CancellationToken cancellationToken)
    {
        ValidatePassword("newPassword", newPassword);
        var hash = await HashAsync(newPassword, cancellationToken);
        return await operators.SetPasswordAsync(id, hash, cancellationToken)
            ?? throw new DeskException(404, $"Operator '{id}' does not exist.", "operator.not_found");
    }

    /// <summary>Ends every session of the operator: tokens issued so far stop working.</summary>
    public Task RevokeSessionsAsync(string id, CancellationToken cancellationToken) => operators.RevokeSessionsAsync(id, cancellationToken);

    public static bool HasModifyUsers(OperatorRow row) => row.PermissionNames().Contains(ModifyUsers);

    /// <summary>Enabled operators other than <paramref name="exceptId"/> who can manage operators.</summary>
    public static async Task<int> CountOtherEnabledAdministratorsAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string exceptId) =>
        (await OperatorStore.OtherEnabledAsync(c, t, exceptId)).Count(HasModifyUsers);

    private static void ValidatePassword(string field, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
            throw new DeskException(400, $"{field}: required, {MinPasswordLength} to {MaxPasswordLength} characters.", "operator.password");
    }

    private async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        try
        {
            return await hashing.HashAsync(password, cancellationToken);
        }
        catch (PasswordHashingBusyException ex)
        {
            throw new DeskException(503, ex.Message, "auth.busy");
        }
    }

    public async Task SavePositionAsync(PositionTemplate position, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(position.Name))
            throw new DeskException(400, "name: required.", "position.name");
        if (position.Permissions is null)
            throw new DeskException(400, "permissions: required (a list of permission names, may be empty).", "position.permissions");
        var unknown = position.Permissions.Except(PermissionNames.All).ToList();
        if (unknown.Count > 0)
            throw new DeskException(400, $"permissions: unknown permission(s) {string.Join(", ", unknown)}.", "operator.permissions_unknown");
        if (position.MaxDialogs is < 1 or > 100)
            throw new DeskException(400, "maxDialogs: must be between 1 and 100.", "operator.capacity");
        await positions.SaveAsync(position, cancellationToken);
    }

    public Task<PositionTemplate?> FindPositionAsync(string name, CancellationToken cancellationToken) => positions.FindAsync(name, cancellationToken);

    public Task<IReadOnlyList<PositionTemplate>> ListPositionsAsync(CancellationToken cancellationToken) => positions.ListAsync(cancellationToken);

    public Task<OperatorRow?> FindByLoginAsync(string login, CancellationToken cancellationToken) => operators.FindByLoginAsync(login, cancellationToken);

    public Task<OperatorRow?> FindAsync(string id, CancellationToken cancellationToken) => operators.FindAsync(id, cancellationToken);

    public async Task<IReadOnlyList<OperatorRow>> ListAsync(CancellationToken cancellationToken) => await operators.ListAsync(cancellationToken);
}
