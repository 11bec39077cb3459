package ledger

import "context"

// Authorize returns the context's actor when it is the administrator or holds one of the
// roles: EUNAUTHORIZED without an actor, EFORBIDDEN with another role.
func Authorize(ctx context.Context, roles ...Role) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok {
		return Actor{}, Errorf(EUNAUTHORIZED, "An API key is required: send Authorization: Bearer <key>")
	}
	if a.Admin {
		return a, nil
	}
	for _, r := range roles {
		if a.Role == r {
			return a, nil
		}
	}
	return Actor{}, Errorf(EFORBIDDEN, "A %s key may not do this", a.Role)
}

// AuthorizeOwner checks that the actor may manage a contract owned by owner.
func AuthorizeOwner(a Actor, owner, address string) error {
	if a.Admin || a.ID() == owner {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only the owner of contract %s may do this", address)
}

// AuthorizeSeller checks a selling or gate actor against a contract: organizer keys act
// only on their own contracts, while box-office and scanner keys (and the administrator)
// serve every contract.
func AuthorizeSeller(a Actor, owner, address string) error {
	if a.Role != RoleOrganizer {
		return nil
	}
	return AuthorizeOwner(a, owner, address)
}
