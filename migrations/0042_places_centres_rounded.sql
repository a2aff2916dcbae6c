-- Place centres are now kept to 7 decimals (about 1 cm) when computed: the ones imported before
-- are rounded the same way, so a point located from an address answers 28.19235, not 28.192349999999998.
UPDATE `places` SET `lat` = round(`lat`, 7), `lon` = round(`lon`, 7) WHERE `lat` <> round(`lat`, 7) OR `lon` <> round(`lon`, 7);
