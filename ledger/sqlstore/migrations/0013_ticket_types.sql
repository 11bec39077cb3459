-- Ticket types: a sale's named types (full, reduced, child...) with their own prices.
-- sales.ticket_types is the types as BeginSale gave them (JSON, '' for none), for reading
-- the sale; sale_type_prices holds each price by how specific it is (scope: 0 every seat,
-- 1 a price level, 2 a section, 3 a seat) and its scope_key (the level in
-- decimal, the section, the seat index in decimal), so a hold finds a seat's price of a
-- type by its primary key. A held or issued ticket names its type (ticket_type, '' for
-- the base price) and that type's price (type_price); confirming charges it.
ALTER TABLE sales ADD COLUMN ticket_types TEXT NOT NULL DEFAULT '';
CREATE TABLE sale_type_prices (
    contract TEXT NOT NULL,
    sale     BIGINT NOT NULL,
    type     TEXT NOT NULL,
    scope    INTEGER NOT NULL,
    scope_key TEXT NOT NULL,
    price    BIGINT NOT NULL,
    PRIMARY KEY (contract, sale, type, scope, scope_key)
);
ALTER TABLE tickets ADD COLUMN ticket_type TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN type_price BIGINT NOT NULL DEFAULT 0
