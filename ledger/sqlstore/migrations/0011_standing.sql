-- General admission: a contract's standing sections. Their places are rows of seats (the
-- section, numbers 1 to capacity, no letter) from seat index first_idx on; this table only
-- marks the section as sold by quantity.
CREATE TABLE standing_sections (
    contract  TEXT NOT NULL REFERENCES contracts (address),
    section   TEXT NOT NULL,
    capacity  INTEGER NOT NULL,
    first_idx INTEGER NOT NULL,
    PRIMARY KEY (contract, section)
)
