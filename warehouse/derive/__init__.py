"""What the warehouse derives from a record and its settings: hashed and masked columns, the topic, and the
survivorship rules (``survivorship.yaml``) that also name the topics."""
