-- A community's country: a Swedish post from r/Suomi or r/Finland is a Finland-Swede's, and is
-- pointed to Finland's Swedish-language services, not Sweden's (NULL: not recorded; services are
-- then matched by the language's home country).
ALTER TABLE communities ADD COLUMN country text CHECK (country IN ('FI', 'SE'));
