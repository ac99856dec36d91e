using System.Security.Claims;
using BotEngine.Handoff;

namespace BotEngine.Http;

/// <summary>The claim that carries one permission name of the signed-in operator.</summary>
public static class PermissionClaim
{
    public const string Type = "perm";

    public static bool Has(this ClaimsPrincipal user, Permission permission) => user.HasClaim(Type, permission.ToName());
}
