<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>HouseholdsPage</name>
    <message numerus="yes">
        <location filename="../../renewal_desk/ui/households_page.py" line="235" />
        <source>%n household(s)</source>
        <translation>
            <numerusform>%n household</numerusform><numerusform>%n households</numerusform></translation>
    </message>
</context>
</TS>